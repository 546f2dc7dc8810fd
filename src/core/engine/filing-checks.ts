/**
 * What the filing flow accepts as the text of a case. A case is read by staff
 * and posted whole to their desk, so it must say something in words and fit in
 * one message: FILING_MAX_CHARS characters (documented in README "Filing a case").
 * The cap follows from the channels: Slack shows at most 3,000 characters in one
 * section block and Telegram 4,096 in one message, and the parent's confirm
 * prompt echoes the text with the other fields, so 2,000 leaves room for both.
 */
export const FILING_MAX_CHARS = 2000;
export const MIN_CONTENT = 5;

/**
 * A message this soon after one refused as too long is its continuation: Telegram's client splits a text of more than
 * 4,096 characters into several messages sent back to back, and nobody shortens thousands of characters and sends them
 * again within seconds. Not tuned on examples: it only has to be longer than the gap between the parts and much
 * shorter than rewriting a text.
 */
export const SPLIT_PART_WINDOW_MS = 10_000;

const HAN = /\p{Script=Han}/gu;

export type ContentProblem =
  | { problem: 'tooShort'; min: number }
  | { problem: 'tooLong'; length: number; max: number }
  | { problem: 'noWords' };

/** Null when `text` can be filed; else why not. Keyboard mash ("asdfghjkl") and digits or emoji alone say nothing. */
export function contentProblem(text: string): ContentProblem | null {
  const clean = text.trim();
  const length = [...clean].length;
  if (length > FILING_MAX_CHARS) return { problem: 'tooLong', length, max: FILING_MAX_CHARS };
  if (length < MIN_CONTENT) return { problem: 'tooShort', min: MIN_CONTENT };
  if (!hasWords(clean)) return { problem: 'noWords' };
  return null;
}

/** Two Chinese characters, or (for a parent writing English) three words of letters. */
export function hasWords(text: string): boolean {
  if ((text.match(HAN)?.length ?? 0) >= 2) return true;
  return (text.match(/\b[a-z]{2,}\b/giu)?.length ?? 0) >= 3;
}
