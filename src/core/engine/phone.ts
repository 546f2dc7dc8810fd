import { findPhones } from '../privacy/mask.js';
import { readPhoneAnswer } from './contact-reply.js';

/**
 * The first phone number written inside a longer message ("…，电话138 1234 5678"), normalised, or null.
 * Read by the masker's own patterns (findPhones), so every form it masks as a phone — zero-width characters inside,
 * +86 / 0086 / 86- / (86), spaces, dots and dashes, full-width digits, Chinese numerals — is found here too: a number
 * masked in the stored text can become the case's contact instead of being lost. ID numbers are set aside first, so
 * no part of one (21050220190115121X holds "0502-20190115") is offered to the parent as their phone. A local number
 * without its area code (电话2842001) is masked but not offered: it cannot be dialled from it alone.
 */
export function findPhone(text: string): string | null {
  return findPhones(text).find((p) => p.phone !== null)?.phone ?? null;
}

/**
 * The parent's own phone in a text that is about to be stored masked (a petition, a follow-up), normalised, or null:
 * the number the phone step would take from it (readPhoneAnswer) — a number said to be the school's or a teacher's
 * ("学校电话024-…一直打不通") is not the parent's and does not become the case's contact.
 */
export function contactInText(text: string): string | null {
  return readPhoneAnswer(text)?.phone ?? null;
}
