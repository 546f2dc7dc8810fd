import { describe, expect, it } from 'vitest';
import { identityForStaff, idNumberProblem, normaliseIdNumber, type IdType } from '../../../src/core/cases/identity.js';
import { maskPersonalData } from '../../../src/core/privacy/mask.js';
import { CREDIT_CODE, PERSON_ID } from '../../helpers/identity-numbers.js';

/**
 * One number, one masked form: what a parent types in a message (masked in every post, digest and log by
 * maskPersonalData) and the same number stored as an applicant's 身份证明 (shown to staff by identityForStaff)
 * read the same, for every kind of number. Each row: the document type it is stored under, the number as
 * stored, how a parent might write it in a message, and the masked form both views must show.
 */
const KINDS: { kind: string; type: IdType; stored: string; typed: string; masked: string }[] = [
  { kind: '居民身份证 (18 digits, X)', type: '居民身份证', stored: PERSON_ID, typed: '我的身份证号11010519491231002x，', masked: '110105********002X' },
  { kind: '港澳居民居住证 (18 digits, 810000…)', type: '港澳台居民居住证或通行证', stored: '810000199408230021', typed: '居住证８１００００１９９４０８２３００２１。', masked: '810000********0021' },
  { kind: '港澳通行证 (H + 8 digits)', type: '港澳台居民居住证或通行证', stored: 'H12345678', typed: '回乡证h12345678', masked: 'H******78' },
  { kind: '港澳通行证 (M + 10 digits)', type: '港澳台居民居住证或通行证', stored: 'M1234567890', typed: '通行证 M1234567890 ', masked: 'M********90' },
  { kind: '台胞证 (8 digits)', type: '港澳台居民居住证或通行证', stored: '12345678', typed: '台胞证号码：12345678', masked: '1*****78' },
  { kind: '台胞证 (10 digits)', type: '港澳台居民居住证或通行证', stored: '1234567890', typed: '我的台胞证1234567890，', masked: '1*******90' },
  { kind: '护照 (E + 8 digits)', type: '护照', stored: 'E12345678', typed: '护照号E12345678', masked: 'E******78' },
  { kind: '护照 (EA + 7 digits)', type: '护照', stored: 'EA1234567', typed: '护照 ea1234567，', masked: 'E******67' },
  { kind: '外国护照 (letters and digits)', type: '护照', stored: 'X98765432', typed: 'passport no. X98765432', masked: 'X******32' },
  { kind: '旧身份证 (15 digits, under 其他)', type: '其他', stored: '210502190830123', typed: '老证210502190830123', masked: '210502*****0123' },
  { kind: '统一社会信用代码', type: '统一社会信用代码', stored: CREDIT_CODE, typed: '代码９１３５０１００ｍ０００１００ｙ４３', masked: '913501********0Y43' },
];

describe('the same number is masked the same in free text and in staff views', () => {
  for (const k of KINDS) {
    it(k.kind, () => {
      expect(idNumberProblem(k.type, normaliseIdNumber(k.stored))).toBeNull(); // a number the desk would store
      expect(identityForStaff(k.type, k.stored)).toBe(`${k.type} ${k.masked}`);
      const inText = maskPersonalData(k.typed);
      expect(inText).toContain(k.masked);
      expect(normaliseIdNumber(inText)).not.toContain(k.stored);
    });
  }

  it('a phone number: the contact field and a message write it the same', () => {
    expect(maskPersonalData('13912345678')).toBe('139****5678');
    expect(maskPersonalData('电话１３９ １２３４ ５６７８，白天打')).toBe('电话139****5678，白天打');
    expect(maskPersonalData('024-42842001')).toBe('024-****01');
    expect(maskPersonalData('座机024-4284 2001')).toBe('座机024-****01');
  });
});
