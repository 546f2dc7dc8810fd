import { describe, expect, it } from 'vitest';
import { maskPersonalData } from '../../../src/core/privacy/mask.js';

describe('maskPersonalData', () => {
  it('masks mainland mobile numbers in running Chinese text', () => {
    expect(maskPersonalData('我电话13812345678，晚上打')).toBe('我电话138****5678，晚上打');
    expect(maskPersonalData('联系+86 138-1234-5678')).toBe('联系+86 138****5678');
    expect(maskPersonalData('电话 138 1234 5678')).toBe('电话 138****5678');
  });

  it('masks landlines with an area code', () => {
    expect(maskPersonalData('打024-42842001问过')).toBe('打024-****01问过');
    expect(maskPersonalData('(0414)2345678')).toBe('(0414)****78');
  });

  it('masks 18-digit ID numbers, including a final X, and the old 15-digit form', () => {
    expect(maskPersonalData('孩子身份证210502201908301234')).toBe('孩子身份证210502********1234');
    expect(maskPersonalData('身份证号21050220190830123X号')).toBe('身份证号210502********123X号');
    expect(maskPersonalData('老证210502190830123')).toBe('老证210502******123');
  });

  it('leaves dates, years, case codes and short numbers alone', () => {
    const text = '娃2020年8月30号生的，案件XH-2026-000123，3个月，邮编117000';
    expect(maskPersonalData(text)).toBe(text);
  });
});
