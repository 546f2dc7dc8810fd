import { createHash } from 'node:crypto';
import { maskPersonalData } from '../privacy/mask.js';
import { grams, maxDice, questionText, type TextNormalizer } from './similarity.js';
import type { BestMatchFn, GapGroup, GapItem, GapMark, GapReason, ParentChoice } from './types.js';

/**
 * Groups similar queued questions so an admin sees "户口和房子不在一起去哪上学 ×14"
 * instead of fourteen lines. Greedy leader clustering over distinct normalised
 * wordings (most frequent first): a wording joins the group it is most similar
 * to when the character-bigram Dice similarity to any member reaches
 * `threshold`, or `relatedThreshold` when both were (weakly) answered with the
 * same entry. Deterministic for the same input.
 *
 * @example
 *   groupQuestions(items, { bestMatch: (q) => index.best(q) })[0]
 *   // { key: '3f9a…', representative: '户口和房子不在一起去哪上学', count: 14, … }
 */
export interface GroupOptions {
  /** Dice similarity needed to join a group (default 0.55, tuned on bench/devset.jsonl: no group mixes two entries). */
  threshold?: number;
  /** Lower bar when both questions were answered with the same entry (default 0.34). */
  relatedThreshold?: number;
  /** The engine's normaliser (traditional → simplified, typo fixes); NFKC + lower case by default. */
  normalize?: TextNormalizer;
  /** Best current knowledge entry for a group's representative question. */
  bestMatch?: BestMatchFn;
  /** Members compared per group (bounds the cost on very large groups; default 40). */
  maxCompare?: number;
  /** Title of a knowledge entry (for the parents' choice); the id is shown when unknown. */
  entryTitle?: (id: string) => string | null;
}

interface Wording {
  norm: string;
  grams: Set<string>;
  items: GapItem[];
  entryId: string | null;
}

interface Cluster {
  wordings: Wording[];
  entryId: string | null;
}

export const DEFAULT_THRESHOLD = 0.55;
export const DEFAULT_RELATED_THRESHOLD = 0.34;

export function groupKey(normalised: string): string {
  return createHash('sha1').update(normalised).digest('hex').slice(0, 10);
}

export function groupQuestions(items: readonly GapItem[], options: GroupOptions = {}): GapGroup[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const related = options.relatedThreshold ?? DEFAULT_RELATED_THRESHOLD;
  const maxCompare = options.maxCompare ?? 40;
  const clusters: Cluster[] = [];
  for (const wording of distinctWordings(items, options.normalize)) {
    let best: Cluster | undefined;
    let bestScore = 0;
    for (const cluster of clusters) {
      const score = maxDice(wording.grams, cluster.wordings.slice(0, maxCompare).map((w) => w.grams));
      const bar = wording.entryId !== null && wording.entryId === cluster.entryId ? related : threshold;
      if (score >= bar && score > bestScore) [best, bestScore] = [cluster, score];
    }
    if (best) best.wordings.push(wording);
    else clusters.push({ wordings: [wording], entryId: wording.entryId });
  }
  return clusters.map((c) => toGroup(c, options)).sort(byCountThenRecency);
}

function distinctWordings(items: readonly GapItem[], normalize?: TextNormalizer): Wording[] {
  const byNorm = new Map<string, Wording>();
  for (const item of [...items].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id)) {
    const norm = questionText(item.text, normalize);
    const known = byNorm.get(norm);
    if (known) known.items.push(item);
    else byNorm.set(norm, { norm, grams: grams(norm), items: [item], entryId: item.entryId });
  }
  // Most frequent wordings lead; ties keep first-seen order (Array.prototype.sort is stable).
  return [...byNorm.values()].sort((a, b) => b.items.length - a.items.length);
}

function toGroup(cluster: Cluster, options: GroupOptions): GapGroup {
  const { bestMatch } = options;
  const items = cluster.wordings.flatMap((w) => w.items);
  const leader = cluster.wordings[0]!;
  const representative = maskPersonalData(leader.items[0]!.text.trim());
  const reasons: Record<GapReason, number> = { low_confidence: 0, refused: 0, not_helpful: 0 };
  for (const item of items) reasons[item.reason] += 1;
  const times = items.map((i) => i.createdAt).sort();
  return {
    key: groupKey(maskPersonalData(leader.norm)),
    representative,
    count: items.length,
    examples: cluster.wordings.slice(1, 4).map((w) => maskPersonalData(w.items[0]!.text.trim())),
    reasons,
    firstAt: times[0]!,
    lastAt: times[times.length - 1]!,
    bestMatch: bestMatch ? bestMatch(leader.items[0]!.text) : null,
    parentChoice: parentChoice(items, options.entryTitle),
    status: 'open',
    resolvedEntryId: null,
    resolvedAt: null,
    samples: cluster.wordings.slice(0, 20).map((w) => maskPersonalData(w.norm)),
    messageIds: items.map((i) => i.id).sort((a, b) => a - b),
  };
}

/** The entry most pressed among helpful presses, else among 👎'd ones; ties go to the entry met first. */
function parentChoice(items: readonly GapItem[], entryTitle?: (id: string) => string | null): ParentChoice | null {
  const tally = new Map<string, { helped: number; notHelpful: number }>();
  for (const item of items) {
    if (!item.chosen) continue;
    const t = tally.get(item.chosen.entryId) ?? { helped: 0, notHelpful: 0 };
    if (item.chosen.notHelpful) t.notHelpful += 1;
    else t.helped += 1;
    tally.set(item.chosen.entryId, t);
  }
  let best: [string, { helped: number; notHelpful: number }] | undefined;
  for (const entry of tally) {
    const [, t] = entry;
    if (!best || t.helped > best[1].helped || (t.helped === best[1].helped && t.notHelpful > best[1].notHelpful)) best = entry;
  }
  if (!best) return null;
  return { entryId: best[0], title: entryTitle?.(best[0]) ?? best[0], ...best[1] };
}

function byCountThenRecency(a: GapGroup, b: GapGroup): number {
  return b.count - a.count || b.lastAt.localeCompare(a.lastAt) || a.key.localeCompare(b.key);
}

/**
 * Attaches admins' marks to freshly computed groups. A mark applies to the
 * group with its key, or else to the group most similar to the mark's stored
 * wordings, so a mark survives the group's leading question changing (new
 * traffic, retention purging old texts). Each mark applies to at most one group.
 */
export function applyMarks(groups: readonly GapGroup[], marks: readonly GapMark[], threshold = DEFAULT_THRESHOLD): GapGroup[] {
  const out = groups.map((g) => ({ ...g }));
  const taken = new Set<GapGroup>();
  for (const mark of marks) {
    let target = out.find((g) => g.key === mark.key && !taken.has(g));
    if (!target) {
      const markGrams = mark.samples.map(grams);
      let bestScore = 0;
      for (const group of out) {
        if (taken.has(group)) continue;
        const score = Math.max(0, ...group.samples.map((s) => maxDice(grams(s), markGrams)));
        if (score >= threshold && score > bestScore) [target, bestScore] = [group, score];
      }
    }
    if (!target) continue;
    taken.add(target);
    Object.assign(target, { key: mark.key, status: mark.status, resolvedEntryId: mark.entryId, resolvedAt: mark.resolvedAt });
  }
  return out;
}
