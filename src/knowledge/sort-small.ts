/**
 * Sorts `items` in place with `compare`, stably: what `Array.prototype.sort` returns for the same comparator
 * (V8's sort is stable too), without the work copy V8's sort allocates on every call. Retrieval sorts a handful
 * of terms or candidates per message (the k best of a top-k list, a message's terms by weight), so insertion sort
 * is the cheaper one there; longer arrays go to the built-in sort.
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  if (items.length > 32) return items.sort(compare);
  for (let i = 1; i < items.length; i++) {
    const item = items[i]!;
    let j = i - 1;
    while (j >= 0 && compare(items[j]!, item) > 0) {
      items[j + 1] = items[j]!;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}
