import type { Migration } from './index.js';

/**
 * The 身份证明 of a 政府信息公开申请 (《政府信息公开条例》第二十九条): the document type
 * (居民身份证 / 港澳台居民居住证或通行证 / 护照 / 其他 for a 自然人, 统一社会信用代码 for a
 * 法人或其他组织) and its number, normalised (ASCII, upper case, no separators). The number is
 * personal data: cleared with the case's other personal fields (retention-repo.ts anonymiseCase).
 * Plain ADD COLUMN: the same text runs on SQLite and PostgreSQL.
 */
export const m0022ApplicantIdentity: Migration = {
  id: 22,
  name: 'applicant-identity',
  up: `
ALTER TABLE cases ADD COLUMN applicant_id_type TEXT;
ALTER TABLE cases ADD COLUMN applicant_id_number TEXT;
`,
};
