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
    expect(maskPersonalData('老证210502190830123')).toBe('老证210502*****0123');
  });

  it('masks 统一社会信用代码, passport and 港澳台 permit numbers (applicants of 政府信息公开申请)', () => {
    expect(maskPersonalData('统一社会信用代码91350100M000100Y43。')).toBe('统一社会信用代码913501********0Y43。');
    expect(maskPersonalData('代码９１３５０１００ｍ０００１００ｙ４３')).toBe('代码913501********0Y43');
    expect(maskPersonalData('护照E12345678，通行证H1234567890')).toBe('护照E******78，通行证H********90');
    expect(maskPersonalData('护照号EA1234567')).toBe('护照号E******67');
  });

  it('leaves dates, years, case codes and short numbers alone', () => {
    const text = '娃2020年8月30号生的，案件XH-2026-000123，3个月，邮编117000，G1234次列车，ISO9001认证';
    expect(maskPersonalData(text)).toBe(text);
  });
});
