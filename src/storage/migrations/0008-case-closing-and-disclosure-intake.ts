import type { Migration } from './index.js';

/**
 * Issue 15. How a case was closed (answered / message / duplicate / not-processed /
 * unreachable) and which case a duplicate repeats; the 政府信息公开申请 intake of
 * 《政府信息公开条例》第二十九条: the form (纸质/电子) and way of delivery
 * (邮寄/自取/电子邮件) the applicant asked for, with the postal address or e-mail
 * (personal data: cleared with the case's other personal fields). The applicant's
 * name goes in citizen_name and the applicant type in applicant_type (0001).
 */
export const m0008CaseClosingDisclosureIntake: Migration = {
  id: 8,
  name: 'case-closing-and-disclosure-intake',
  up: `
ALTER TABLE cases ADD COLUMN close_basis TEXT;
ALTER TABLE cases ADD COLUMN duplicate_of TEXT;
ALTER TABLE cases ADD COLUMN delivery_form TEXT;
ALTER TABLE cases ADD COLUMN delivery_method TEXT;
ALTER TABLE cases ADD COLUMN delivery_address TEXT;
`,
};
