/**
 * Masking of personal numbers in citizen text. Used for every channel post,
 * digest, log line and export; only the staff-only case detail shows the
 * original. Patterns are deliberately broad: masking a number that was not
 * personal costs little, leaking one costs a family its privacy.
 */

// 18-digit 身份证号 (last may be X) and the old 15-digit form.
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])|(?<![0-9A-Za-z])(\d{6})\d{6}(\d{3})(?![0-9A-Za-z])/g;
// Mainland mobile numbers, optionally with +86 / 86 and separators: 138 1234 5678, 138-1234-5678.
const MOBILE = /(?<!\d)((?:\+?86[\s-]?)?1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)/g;
// Landlines with an area code: 024-42842001, (024)4284 2001, 0414-1234567.
const LANDLINE = /(?<!\d)(\(?0\d{2,3}\)?[\s-]?)\d{3,4}[\s-]?\d{2}(\d{2})(?!\d)/g;

export function maskIdNumbers(text: string): string {
  return text.replace(ID_NUMBER, (_m, a18, b18, a15, b15) =>
    a18 !== undefined ? `${a18}********${b18}` : `${a15}******${b15}`,
  );
}

export function maskPhones(text: string): string {
  return text
    .replace(MOBILE, (_m, head: string, tail: string) => `${head}****${tail}`)
    .replace(LANDLINE, (_m, area: string, tail: string) => `${area}****${tail}`);
}

/** Mask ID numbers first (they contain phone-like runs), then phones. */
export function maskPersonalData(text: string): string {
  return maskPhones(maskIdNumbers(text));
}
