import { describe, expect, it } from 'vitest';
import { findPhone } from '../../../src/core/engine/phone.js';

/** The phone the filing flow offers to use ("您在内容里留了电话 …"): a whole number, never a piece of another one. */
describe('findPhone', () => {
  it('finds a mobile or a landline written inside a message', () => {
    expect(findPhone('彩屯小学乱收费，电话139 1234 5678，谢谢')).toBe('13912345678');
    expect(findPhone('请打（024）42842001找我')).toBe('024-42842001');
  });

  it('offers no part of an ID number or a longer digit run as a phone', () => {
    // 21050220190115121X holds "0502" + "20190115", which reads as a landline on its own.
    expect(findPhone('孩子身份证21050220190115121X，请核实')).toBeNull();
    expect(findPhone('订单号 202611301391234567890')).toBeNull();
    expect(findPhone('身份证21050220190115121X，电话13912345678')).toBe('13912345678');
  });
});
