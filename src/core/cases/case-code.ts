/**
 * The one reading of a case code (XH-2026-000123) for every place a person types one: the bot's chats, Slack `/case`,
 * the console and the CLI all go through the desk's lookup, which uses `canonicalCaseCode`; the chat engine finds
 * codes inside messages with `findCaseCode`.
 *
 * What a Chinese input method gives is read as the code it means: full-width letters and digits (ＸＨ－２０２６),
 * every dash a keyboard or IME produces (‐ ‑ ‒ – — ― − － ー), spaces or underscores between the parts, and a
 * trailing full stop or other punctuation ("XH-2026-000001。").
 */

/** Hyphens, dashes, the minus sign, the full-width hyphen-minus and the katakana long mark an IME's dash key may give. */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D\u30FC]/g;

/** Full-width forms to ASCII (NFKC) and every dash to "-". */
export function foldCodeText(text: string): string {
  return text.normalize('NFKC').replace(DASHES, '-');
}

/**
 * Case codes like XH-2026-000123 (any prefix of 1 to 6 letters, any case). Parents also
 * type them with spaces or underscores, or run together ("XH 2026 000123", "xh2026000123").
 * Apply to text folded by `foldCodeText`.
 */
export const CASE_CODE_PATTERN = /(?<![A-Za-z0-9])([A-Za-z]{1,6})\s*[-_ ]?\s*(\d{4})\s*[-_ ]?\s*(\d{6})(?!\d)/;

const canonical = (m: RegExpExecArray | RegExpMatchArray) => `${m[1]!.toUpperCase()}-${m[2]!}-${m[3]!}`;

/** The canonical spelling (XH-2026-000123) of the first case code in `text`, if any. */
export function findCaseCode(text: string): string | undefined {
  const m = CASE_CODE_PATTERN.exec(foldCodeText(text));
  return m ? canonical(m) : undefined;
}

/** `text` with every case code in it written canonically (XH-2026-000123), so patterns written for that form see it. */
export function canonicaliseCaseCodes(text: string): string {
  return foldCodeText(text).replace(new RegExp(CASE_CODE_PATTERN.source, 'g'), (...m: string[]) => canonical(m as unknown as RegExpMatchArray));
}

/** Punctuation a person may leave around a code typed on its own: "XH-2026-000001。", "「XH-2026-000001」". */
const AROUND = /^[\s"'“”‘’「」『』《》〈〉()（）[\]【】:：,，.。;；!！?？、]+|[\s"'“”‘’「」『』《》〈〉()（）[\]【】:：,，.。;；!！?？、]+$/gu;

/**
 * A code typed on its own (a command argument) in canonical form: " ｘｈ－２０２６－０００００１。" → XH-2026-000001.
 * Input that is not a code comes back trimmed and upper-cased (it then matches nothing).
 */
export function canonicalCaseCode(input: string): string {
  const bare = foldCodeText(input).replace(AROUND, '');
  const whole = new RegExp(`^${CASE_CODE_PATTERN.source}$`).exec(bare);
  return whole ? canonical(whole) : bare.toUpperCase();
}
