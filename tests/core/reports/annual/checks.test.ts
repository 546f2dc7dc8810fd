import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTable3, buildTable4 } from '../../../../src/core/reports/annual/build.js';
import { checkAnnualReport, checkResultTotals } from '../../../../src/core/reports/annual/checks.js';
import { emptyRegisterFacts, type RequestFacts } from '../../../../src/core/reports/annual/facts.js';
import { APPLICANT_TYPES, RESULT_KEYS, emptyTable3 } from '../../../../src/core/reports/annual/model.js';

const applicant = fc.constantFrom(...APPLICANT_TYPES);
const count = fc.integer({ min: 0, max: 50 });

/** Requests as a desk would produce them: each one received (this year or carried in) ends in a result or is carried out. */
const requests = fc
  .array(fc.record({ applicant, carriedIn: fc.boolean(), outcome: fc.option(fc.constantFrom(...RESULT_KEYS)), n: count }), { maxLength: 40 })
  .map((items): RequestFacts => ({
    received: items.filter((i) => !i.carriedIn).map((i) => ({ key: i.applicant, count: i.n })),
    carriedIn: items.filter((i) => i.carriedIn).map((i) => ({ key: i.applicant, count: i.n })),
    results: items.flatMap((i) => (i.outcome ? [{ result: i.outcome, applicant: i.applicant, count: i.n }] : [])),
    carriedOut: items.filter((i) => !i.outcome).map((i) => ({ key: i.applicant, count: i.n })),
  }));

describe('balance checks', () => {
  it('hold for every table built from consistent requests and register outcomes', () => {
    fc.assert(
      fc.property(requests, fc.array(count, { minLength: 4, maxLength: 4 }), (q, four) => {
        const registers = { ...emptyRegisterFacts(), reconsideration: four, directSuit: four, suitAfterReview: four };
        expect(checkAnnualReport({ table3: buildTable3(q), table4: buildTable4(registers) })).toEqual([]);
      }),
    );
  });

  it('names 明细合计 with the column and both numbers when （七）总计 is not the sum of the leaves', () => {
    const t = emptyTable3();
    t.results.disclosed = [2, 0, 0, 0, 0, 0, 2];
    t.resultTotal = [1, 0, 0, 0, 0, 0, 2];
    expect(checkResultTotals(t)).toEqual([
      {
        check: '明细合计',
        column: '自然人',
        row: '（七）总计',
        expected: 2,
        actual: 1,
        message: '明细合计：表三“自然人”列 各项办理结果合计 2，但“（七）总计”为 1',
      },
    ]);
    expect(checkAnnualReport({ table3: t, table4: buildTable4(emptyRegisterFacts()) }).map((f) => `${f.check}/${f.column}`)).toEqual([
      '收办平衡/自然人',
      '收办平衡/总计',
      '横向总计/总计',
      '明细合计/自然人',
    ]);
  });
});
