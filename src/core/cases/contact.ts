import { z } from 'zod';
import { caseError } from '../i18n/errors-text.js';
import { CHINESE_DIGITS, maskPersonalData } from '../privacy/mask.js';
import { isEmail } from './disclosure.js';

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
  // Invisible characters (zero-width space, soft hyphen…) and middle dots inside are no part of the number.
  const compact = asDigits(input).replace(/[\s\-–—.()（）·・\p{Cf}]/gu, '');
  const mobile = /^(?:(?:\+|00)?86)?(1[3-9]\d{9})$/.exec(compact);
  if (mobile?.[1]) return mobile[1];
  const landline = /^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$/.exec(compact);
  if (landline?.[1] && landline[2]) return `${landline[1]}-${landline[2]}`;
  return null;
}

/**
 * Mainland mobile number blocks (the MIIT numbering plan): 13x, 145–149, 15x but 154, 162 and 165–167, 170–178, 18x,
 * 19x but 194. Only for a number written without a country code, where "1…" may also be a +1 (North American) number.
 */
const MAINLAND_MOBILE_BLOCK = /^1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}$/;

/**
 * A number as a platform gives it in international form (Telegram's contact card: "8613912345678", "+86 139…",
 * "14155552671" for +1 415…), read as a mainland number: the normalised phone, or null when it is another country's.
 * Without "+", a number that is a mainland mobile as written is taken as one (clients also send the national form).
 *
 * @example phoneFromInternational('8624 4284 2001') // '024-42842001'
 * @example phoneFromInternational('14155552671') // null
 */
export function phoneFromInternational(input: string): string | null {
  const compact = asDigits(input).replace(/[^\d+]/gu, '');
  const plus = compact.startsWith('+');
  const digits = compact.replace(/\+/gu, '');
  if (digits.startsWith('86')) {
    const national = digits.slice(2);
    // A landline's trunk 0 is not written after the country code (+86 24 …).
    const phone = normalisePhone(national.startsWith('1') ? national : `0${national.replace(/^0/u, '')}`);
    if (phone) return phone;
  }
  return !plus && MAINLAND_MOBILE_BLOCK.test(digits) ? digits : null;
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

/** What may stand between a landline and its extension: 转, 分机, ext / ext. / x, #, or a dash. */
const EXTENSION = /^(.+?)[\s-]*(?:转|分机|ext\.?|x|#|-)[\s-]*(\d{1,6})$/iu;

/**
 * A landline with its extension, normalised as `0414-4284123 转 801`; null for anything else (a mobile has none).
 *
 * @example normaliseExtensionPhone('0414-4284123 ext 801') // '0414-4284123 转 801'
 */
export function normaliseExtensionPhone(input: string): string | null {
  const parts = EXTENSION.exec(asDigits(input).trim());
  if (!parts?.[1] || !parts[2]) return null;
  const landline = normalisePhone(parts[1]);
  return landline?.includes('-') ? `${landline} 转 ${parts[2]}` : null;
}

/** Words a postal address is made of (a street, a number, a building): a sentence without them is not one. */
const ADDRESS_WORD = /[省市区县旗镇乡街路道巷弄村屯组号楼栋幢室]|信箱/u;

/** A postal address a letter reaches: Chinese, 6 to 100 characters, with a street, number or building in it. */
export function isPostalAddress(input: string): boolean {
  const length = [...input.trim()].length;
  return length >= 6 && length <= 100 && /\p{Script=Han}/u.test(input) && ADDRESS_WORD.test(input);
}

/**
 * The contact a staff member logged (phone, letter, visit, 民心网 petitions), normalised; null when it is none of what
 * is accepted: a phone staff can call back (13812345678, 024-42842001, a landline with its extension
 * `0414-4284123 转 801`), an e-mail address, or — for a 政府信息公开申请, where 第二十九条 asks for 联系方式, not a
 * phone, and a letter's may be its return address — a postal address. Phones are normalised, the others trimmed.
 */
export function normaliseStaffContact(input: string, type?: string): string | null {
  const typed = input.trim();
  const phone = normalisePhone(typed) ?? normaliseExtensionPhone(typed);
  if (phone) return phone;
  if (isEmail(typed)) return typed;
  if (type === 'disclosure' && isPostalAddress(typed)) return typed;
  return null;
}

/**
 * The zod schema of a contact (normaliseStaffContact's rules for a case of `type`): parses to the normalised contact;
 * anything else fails with the message `contactInvalid`. Staff-logged cases (checkedStaffContact) and the parent's
 * 政府信息公开申请 in the chat (disclosure-intake.ts) are checked with it.
 */
export function contactSchema(type?: string) {
  return z
    .string()
    .max(200, 'contactInvalid')
    .transform((typed, ctx) => {
      const checked = normaliseStaffContact(typed, type);
      if (checked) return checked;
      ctx.addIssue({ code: 'custom', message: 'contactInvalid' });
      return z.NEVER;
    });
}

/**
 * normaliseStaffContact for a case being filed: null when none was given; anything not accepted is refused with a
 * coded error naming what is, the typed value masked.
 */
export function checkedStaffContact(contact: string | null | undefined, type?: string): string | null {
  const typed = contact?.trim();
  if (!typed) return null;
  const checked = contactSchema(type).safeParse(typed);
  if (!checked.success) throw caseError('case_invalid', 'contactInvalid', { masked: maskTypedContact(typed) });
  return checked.data;
}

/**
 * A contact as shown outside the audited /case CODE detail (the channel post, the CSV export): phone and ID numbers
 * masked; an e-mail address with its name starred after the first character; a postal address cut to its first 6
 * characters (the city, not the door), as a disclosure's delivery address is kept to the detail.
 *
 * @example maskContact('zhangsan@example.com') // 'z***@example.com'
 * @example maskContact('辽宁省本溪市溪湖区河东路12号') // '辽宁省本溪市…'
 */
export function maskContact(contact: string): string {
  const typed = contact.trim();
  const at = typed.lastIndexOf('@');
  if (isEmail(typed) && at > 0) return `${Array.from(typed)[0]}***${typed.slice(at)}`;
  if (isPostalAddress(typed) && !normalisePhone(typed) && !normaliseExtensionPhone(typed)) {
    const chars = Array.from(maskPersonalData(typed));
    return chars.length > 6 ? `${chars.slice(0, 6).join('')}…` : chars.join('');
  }
  return maskPersonalData(typed);
}
