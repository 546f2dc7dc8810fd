import { caseError } from '../i18n/errors-text.js';
import { CHINESE_DIGITS } from '../privacy/mask.js';

/** Full-width digits (NFKC) and Chinese numerals (一三九…, 幺 for 1) as ASCII digits. */
const asDigits = (input: string) => input.normalize('NFKC').replace(/[〇零一幺二三四五六七八九]/gu, (d) => CHINESE_DIGITS[d] ?? d);

/**
 * Contact phone validation for the filing flow: a mainland mobile number
 * (1[3-9] + 9 digits, optional +86) or a landline with its area code
 * (0 + 2–3 digits, then 7–8 digits). Returns the normalised number or null.
 *
 * @example normalisePhone('138 1234 5678') // '13812345678'
 * @example normalisePhone('(024)42842001') // '024-42842001'
 */
export function normalisePhone(input: string): string | null {
  const compact = asDigits(input).replace(/[\s\-–—.()（）]/gu, '');
  const mobile = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(compact);
  if (mobile?.[1]) return mobile[1];
  const landline = /^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$/.exec(compact);
  if (landline?.[1] && landline[2]) return `${landline[1]}-${landline[2]}`;
  return null;
}

/**
 * A contact typed by hand shown back without the number: digits after the first three are starred, so an error
 * message or log line never carries a whole (or nearly whole) phone number.
 *
 * @example maskTypedContact('1381234567') // '138*******'
 */
export function maskTypedContact(value: string): string {
  let digits = 0;
  return asDigits(value)
    .slice(0, 40)
    .replace(/\d/g, (d) => (++digits <= 3 ? d : '*'));
}

/**
 * The contact a staff member logged (phone, letter, visit, 民心网 petitions): a phone staff can call back, normalised
 * (13812345678, 024-42842001); null when none was given. Anything else is refused with a coded error naming what is
 * accepted, the typed value masked.
 */
export function checkedStaffContact(contact: string | null | undefined): string | null {
  const typed = contact?.trim();
  if (!typed) return null;
  const phone = normalisePhone(typed);
  if (!phone) throw caseError('case_invalid', 'contactNotPhone', { masked: maskTypedContact(typed) });
  return phone;
}
