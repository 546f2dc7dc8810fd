import { maskIdNumbers } from '../privacy/mask.js';
import { normalisePhone } from '../cases/contact.js';

/** A run of digits shaped like a mobile (optionally +86) or a landline with its area code. */
export const PHONE_RUN = /(?<!\d)(?:(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}|\(?0\d{2,3}\)?[\s-]?\d{3,4}[\s-]?\d{4})(?!\d)/;

/**
 * The first phone number written inside a longer message ("…，电话138 1234 5678"), normalised, or null.
 * A number is a whole run of digits: ID numbers are set aside first (masked), so no part of one
 * (21050220190115121X holds "0502-20190115") is offered to the parent as their phone.
 */
export function findPhone(text: string): string | null {
  const candidates = maskIdNumbers(text).normalize('NFKC').match(new RegExp(PHONE_RUN.source, 'g')) ?? [];
  for (const candidate of candidates) {
    const phone = normalisePhone(candidate);
    if (phone) return phone;
  }
  return null;
}
