/**
 * The shape shared by staff's text commands that record an entry (`/case review CODE …`, `/case appeal CODE …`): a
 * first word (the stage or category), then `key=value` words (`=` may be full-width or a colon; keys matched without
 * case) mapped through `keys`; every other word joins the note. Values are left as typed: the desk checks them (zod).
 */
export function parseKeyedCommand<Field extends string>(
  text: string,
  first: Field,
  keys: Readonly<Record<string, Field>>,
): Partial<Record<Field | 'note', string>> | null {
  const [head, ...words] = text.trim().split(/\s+/).filter(Boolean);
  if (!head) return null;
  const input: Partial<Record<Field | 'note', string>> = {};
  input[first] = head;
  const note: string[] = [];
  for (const word of words) {
    const match = /^([^=＝:：]+)[=＝:：](.*)$/u.exec(word);
    const key = match ? keys[match[1]!.toLowerCase()] : undefined;
    if (key && match) input[key] = match[2]!;
    else note.push(word);
  }
  if (note.length) input.note = note.join(' ');
  return input;
}
