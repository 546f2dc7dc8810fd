import { beforeAll, describe, expect, it } from 'vitest';
import { detectIntent, loadIntents, type IntentSet } from '../../../src/core/intents/index.js';
import { readPhoneAnswer } from '../../../src/core/engine/contact-reply.js';
import { withdrawAnswer } from '../../../src/core/engine/withdraw.js';

/**
 * Review 16b: parent wording the session's new readers misread. Each line is what a parent may type at the step
 * named; the expectation is what the bot must take from it.
 */
describe('wording read right at the withdraw, phone and filing steps', () => {
  let set: IntentSet;
  beforeAll(async () => {
    set = await loadIntents();
  });

  it('a denial or someone else’s withdrawal at "确认撤回？" is not a confirmation', () => {
    // The parent's own denial keeps the case (and is answered as such, withdraw-wording.test.ts); a report of someone
    // else's withdrawal is handled as itself.
    for (const said of ['我没说要撤回', '不是要撤回', '我没有要撤销的意思', "I didn't say withdraw"]) expect([said, withdrawAnswer(said, false)]).toEqual([said, 'keep']);
    for (const said of ['你们撤回了我的诉求', '学校说不管了', '老师不处理了', '我没说要撤回，我是问入学的事'])
      expect([said, withdrawAnswer(said, false)]).toEqual([said, undefined]);
    for (const said of ['撤回吧', '不想办了，撤回吧', '确认', '我说撤回吧']) expect([said, withdrawAnswer(said, false)]).toEqual([said, 'confirm']);
  });

  it('the phone step takes the parent’s own number, never one said to be the school’s or a teacher’s', () => {
    // The teacher's number goes into the petition with the note, masked like every phone in a case's text.
    expect(readPhoneAnswer('班主任电话13912345678，我的是13812345678')).toEqual({ phone: '13812345678', note: '班主任电话139****5678' });
    expect(readPhoneAnswer('学校电话024-42841234一直打不通，怎么办？')).toBeNull();
    expect(readPhoneAnswer('老师的手机13912345678')).toBeNull();
    expect(readPhoneAnswer('我的电话是13812345678')).toEqual({ phone: '13812345678', note: null });
    expect(readPhoneAnswer('13812345678，白天打')).toEqual({ phone: '13812345678', note: '白天打' });
    // The owner named nearest the number decides; 其他 names no one.
    expect(readPhoneAnswer('我们学校电话024-42841234')).toBeNull();
    expect(readPhoneAnswer('学校不接，打我的13812345678')).toEqual({ phone: '13812345678', note: '学校不接' });
    expect(readPhoneAnswer('其他时间打13812345678')).toEqual({ phone: '13812345678', note: '其他时间' });
  });

  it('a complaint that threatens 上访 stays a complaint; 信访 named as the request is a 信访', () => {
    expect(detectIntent(set, '我要投诉彩屯小学乱收费，不解决我就要上访')).toEqual({ intent: 'petition', caseType: 'complaint' });
    expect(detectIntent(set, '我要信访，反映彩屯小学乱收费问题')).toEqual({ intent: 'petition', caseType: 'petition' });
  });
});
