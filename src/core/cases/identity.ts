import { z } from 'zod';
import { maskNumber } from '../privacy/mask.js';

/**
 * 身份证明 of a 政府信息公开申请 (《政府信息公开条例》第二十九条: "申请人的姓名或者名称、身份证明、联系方式").
 * A natural person gives a document type and its number; a 法人或其他组织 its 统一社会信用代码.
 * Numbers are checked with the check characters their standards define (GB 11643 for the
 * 居民身份证 and the 港澳台居民居住证, GB 32100 for the credit code) so a mistyped digit is
 * caught while the applicant is still there to retype it. The number is personal data:
 * shown only through maskIdentityNumber, cleared with the case's other personal fields.
 */

/** Document types of a natural person, as stored in cases.applicant_id_type. */
export const PERSON_ID_TYPES = ['居民身份证', '港澳台居民居住证或通行证', '护照', '其他'] as const;
/** The one document of a 法人或其他组织. */
export const ORG_ID_TYPE = '统一社会信用代码';
export const ID_TYPES = [...PERSON_ID_TYPES, ORG_ID_TYPE] as const;
export type IdType = (typeof ID_TYPES)[number];

/** Full-width letters and digits to ASCII, blanks and dashes dropped, upper case: how people type numbers. */
export function normaliseIdNumber(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\-_.\u2010-\u2015\u2212\u30FC]/gu, '')
    .toUpperCase();
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECKS = '10X98765432';

/** GB 11643-1999 (ISO 7064 MOD 11-2): 17 digits and the check character (0-9 or X). */
export function isResidentIdNumber(value: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
  return ID_CHECKS[sum % 11] === value[17];
}

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100-2015: 18 characters from the 31-character set (no I, O, S, V, Z), the last a MOD 31 check character. */
export function isCreditCode(value: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(value)) return false;
  const sum = CREDIT_WEIGHTS.reduce((acc, w, i) => acc + w * CREDIT_CHARS.indexOf(value[i]!), 0);
  return CREDIT_CHARS[(31 - (sum % 31)) % 31] === value[17];
}

/** What is wrong with a number, as an i18n key suffix; null when it is acceptable for the type. */
export type IdProblem = 'idCardLength' | 'idCardCheck' | 'creditLength' | 'creditCheck' | 'permitFormat' | 'passportFormat' | 'otherFormat';

export function idNumberProblem(type: IdType, value: string): IdProblem | null {
  switch (type) {
    case '居民身份证':
      if (!/^\d{17}[\dX]$/.test(value)) return 'idCardLength';
      return isResidentIdNumber(value) ? null : 'idCardCheck';
    case '港澳台居民居住证或通行证':
      // 居住证: 18 characters, 810000/820000/830000 and the ID check character; 通行证: H/M + 8 or 10 digits (港澳), 8 or 10 digits (台湾).
      if (/^\d{17}[\dX]$/.test(value)) return isResidentIdNumber(value) ? null : 'idCardCheck';
      return /^[HM]\d{8}(\d{2})?$/.test(value) || /^\d{8}(\d{2})?$/.test(value) ? null : 'permitFormat';
    case '护照':
      return /^[A-Z0-9]{5,17}$/.test(value) && /\d/.test(value) ? null : 'passportFormat';
    case '其他':
      return /^[A-Z0-9]{4,30}$/.test(value) ? null : 'otherFormat';
    case ORG_ID_TYPE:
      if (!/^[0-9A-Z]{18}$/.test(value)) return 'creditLength';
      return isCreditCode(value) ? null : 'creditCheck';
  }
}

/** The number as it may be shown: masked by the one rule that also masks numbers in citizen text (maskNumber). */
export function maskIdentityNumber(value: string | null | undefined): string {
  return value ? maskNumber(value) : '';
}

/** Type and number together; the number normalised, refused with an IdProblem message key when it does not check. */
export const applicantIdSchema = z
  .object({ idType: z.enum(ID_TYPES), idNumber: z.string().max(60) })
  .transform((v) => ({ idType: v.idType, idNumber: normaliseIdNumber(v.idNumber) }))
  .superRefine((v, ctx) => {
    const problem = idNumberProblem(v.idType, v.idNumber);
    if (problem) ctx.addIssue({ code: 'custom', path: ['idNumber'], message: problem });
  });
export type ApplicantId = z.infer<typeof applicantIdSchema>;

/** Whether the document type fits the applicant: a 自然人 a personal document, an organisation its credit code. */
export const idTypeFitsApplicant = (applicantType: string | null | undefined, idType: string) =>
  applicantType === '自然人' ? (PERSON_ID_TYPES as readonly string[]).includes(idType) : idType === ORG_ID_TYPE;

/** "居民身份证 110105********002X" for staff views, digests and exports; '' when the case has none. */
export function identityForStaff(idType: string | null | undefined, idNumber: string | null | undefined): string {
  if (!idType && !idNumber) return '';
  return [idType ?? '', maskIdentityNumber(idNumber)].filter(Boolean).join(' ');
}
