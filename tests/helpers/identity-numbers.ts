/**
 * Identity numbers that pass their check characters, for 政府信息公开申请 tests: the example of GB 11643
 * itself (a resident ID of 1949, no living person's), and a credit code computed to GB 32100.
 */
export const PERSON_ID = '11010519491231002X';
export const PERSON_ID_MASKED = '110105********002X';
/** The same ID with its last digit changed: the check character no longer matches. */
export const PERSON_ID_BAD = '110105194912310021';
export const CREDIT_CODE = '91350100M000100Y43';
export const CREDIT_CODE_MASKED = '913501********0Y43';
