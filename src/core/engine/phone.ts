import { maskIdNumbers } from '../privacy/mask.js';

/**
 * Contact phone validation for the filing flow: a mainland mobile number
 * (1[3-9] + 9 digits, optional +86) or a landline with its area code
 * (0 + 2–3 digits, then 7–8 digits). Returns the normalised number or null.
 *
 * @example normalisePhone('138 1234 5678') // '13812345678'
 * @example normalisePhone('(024)42842001') // '024-42842001'
 */
export function normalisePhone(input: string): string | null {
  const compact = input.normalize('NFKC').replace(/[\s\-()（）]/g, '');
  const mobile = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(compact);
  if (mobile?.[1]) return mobile[1];
  const landline = /^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$/.exec(compact);
  if (landline?.[1] && landline[2]) return `${landline[1]}-${landline[2]}`;
  return null;
}

/**
 * The first phone number written inside a longer message ("…，电话138 1234 5678"), normalised, or null.
 * A number is a whole run of digits: ID numbers are set aside first (masked), so no part of one
 * (21050220190115121X holds "0502-20190115") is offered to the parent as their phone.
 */
export function findPhone(text: string): string | null {
  const candidates =
    maskIdNumbers(text)
      .normalize('NFKC')
      .match(/(?<!\d)(?:(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|\(?0\d{2,3}\)?[\s-]?\d{7,8})(?!\d)/g) ?? [];
  for (const candidate of candidates) {
    const phone = normalisePhone(candidate);
    if (phone) return phone;
  }
  return null;
}
