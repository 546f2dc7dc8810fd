import { DEFAULT_THRESHOLD } from './group.js';
import { grams, maxDice, questionText, type TextNormalizer } from './similarity.js';
import type { GapMark } from './types.js';

/** A knowledge question as stored in messages (confident answers keep no text). */
export interface ClosureMessage {
  text: string | null;
  answered: boolean;
  confident: boolean;
  feedback: boolean | null;
  entryId: string | null;
  createdAt: string;
}

export interface ClosurePeriod {
  /** Questions on the group's topic in the period. */
  matching: number;
  /** Of those, answered confidently and not marked "not helpful". */
  confident: number;
  /** confident / matching, null when nothing matched. */
  share: number | null;
}

export interface GapClosure {
  key: string;
  entryId: string | null;
  resolvedAt: string;
  before: ClosurePeriod;
  after: ClosurePeriod;
}

/**
 * "Did the gap close?" for one resolved group: the share of matching questions
 * answered confidently in `windowDays` before `resolvedAt` versus after it.
 *
 * A question matches when its text is similar to the group's stored wordings
 * or — because the bot keeps no text for confident answers — when it was
 * answered confidently with the resolving entry. The second rule also counts
 * that entry's ordinary traffic, so for an edited (not new) entry the shares
 * are an upper bound on both sides; the change between them is the signal.
 *
 * @example
 *   gapClosure(mark, messages, { windowDays: 30 })
 *   // { before: { matching: 12, confident: 0, share: 0 }, after: { matching: 9, confident: 8, share: 0.89 } }
 */
export function gapClosure(
  mark: GapMark,
  messages: readonly ClosureMessage[],
  options: { windowDays: number; normalize?: TextNormalizer; threshold?: number },
): GapClosure | null {
  if (mark.status !== 'resolved' || mark.resolvedAt === null) return null;
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const samples = mark.samples.map(grams);
  const resolvedAt = mark.resolvedAt;
  const start = new Date(Date.parse(resolvedAt) - options.windowDays * 86_400_000).toISOString();
  const before = emptyPeriod();
  const after = emptyPeriod();
  for (const m of messages) {
    if (m.createdAt < start) continue;
    const confident = m.answered && m.confident && m.feedback !== false;
    const matches =
      m.text !== null
        ? maxDice(grams(questionText(m.text, options.normalize)), samples) >= threshold
        : confident && mark.entryId !== null && m.entryId === mark.entryId;
    if (!matches) continue;
    const period = m.createdAt < resolvedAt ? before : after;
    period.matching += 1;
    if (confident) period.confident += 1;
  }
  return { key: mark.key, entryId: mark.entryId, resolvedAt, before: finish(before), after: finish(after) };
}

const emptyPeriod = (): ClosurePeriod => ({ matching: 0, confident: 0, share: null });
const finish = (p: ClosurePeriod): ClosurePeriod => ({ ...p, share: p.matching === 0 ? null : p.confident / p.matching });
