import { beforeAll, describe, expect, it } from 'vitest';
import { detectIntent, loadIntents, type IntentSet } from '../../../src/core/intents/index.js';
import { chat, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * Review 16 finding 10: a parent who asks for 信访 in so many words gets a 信访 case (60 日, 受理告知, 复查), even when
 * the same message tells a story that reads as a 投诉 ("反映…问题").
 */
let set: IntentSet;
beforeAll(async () => {
  set = await loadIntents();
});

describe('信访 named as the request', () => {
  it('is typed 信访 over the story told with it; asking how to petition is still a question', () => {
    for (const text of ['我要信访，反映彩屯小学违规收费问题，多次反映没有结果', '我要提出信访事项，彩屯小学违规收费', '我要上访，反映彩屯小学违规收费', '信访事项：彩屯小学违规收费多年'])
      expect([text, detectIntent(set, text)]).toEqual([text, { intent: 'petition', caseType: 'petition' }]);
    expect(detectIntent(set, 'I want to file a formal petition about illegal school fees')).toEqual({ intent: 'petition', caseType: 'petition' });
    for (const text of ['信访怎么提', '我想信访，可以吗？', '信访一般多久答复']) expect([text, detectIntent(set, text).intent]).toEqual([text, 'kb']);
    // A story with 反映 and no 信访 stays a complaint; a threat to petition inside a complaint does not change its type.
    expect(detectIntent(set, '我要反映彩屯小学违规收费问题，多次反映没有结果')).toEqual({ intent: 'petition', caseType: 'complaint' });
    expect(detectIntent(set, '我要投诉，不然我就去上访')).toEqual({ intent: 'petition', caseType: 'complaint' });
  });

  it('is filed as a 信访 with its 60-day deadline, its 受理告知 on claim and the 复查 remedy in the closing', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    expect(texts(await c.say('我要信访，反映彩屯小学违规收费问题，多次反映没有结果'))).toContain('请留下联系电话');
    expect(texts(await c.say('13812345678'))).toContain('请确认您的诉求：\n类型：信访\n内容：我要信访，反映彩屯小学违规收费问题，多次反映没有结果\n');
    const filed = await c.say('确认');
    // 60 日 from 受理 (《信访条例》第三十三条): not accepted yet, so counted from the last day the 受理告知 may be given,
    // 2026-11-27 + 15 日 = 12-12, a Saturday → 12-14; + 60 日 = 2027-02-12 (estimated: the 2027 holidays are not published).
    expect(texts(filed)).toContain('已登记，编号 XH-2026-000001（信访）。答复期限：约2027年2月12日前');
    expect(await cases.get('XH-2026-000001')).toMatchObject({ type: 'petition', deadlineOn: '2027-02-12', contact: '13812345678' });

    await cases.act('XH-2026-000001', { kind: 'claim' }, 'slack:U1');
    // Claimed in the chat on 2026-11-27: the claim message is the 受理告知, so the 60 日 run from today: 2027-01-26.
    expect(await cases.get('XH-2026-000001')).toMatchObject({ deadlineOn: '2027-01-26' });
    await cases.act('XH-2026-000001', { kind: 'reply', text: '经核实，已责成学校退还违规收取的费用。' }, 'slack:U1');
    await cases.act('XH-2026-000001', { kind: 'close', note: '' }, 'slack:U1');
    const sent = (await db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'console' AND address = 'c1' ORDER BY id")).map(
      (r) => (JSON.parse(r.payload) as { text: string }[]).map((m) => m.text).join('\n'),
    );
    expect(sent.some((m) => m.startsWith('受理告知：您的信访事项 XH-2026-000001 已经受理'))).toBe(true);
    expect(sent.some((m) => /自收到本书面答复之日起30日内，向.+请求复查/u.test(m))).toBe(true);
    await db.close();
  });

  it('in English: "I want to file a formal petition" is filed as one', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const c = chat(engine);
    const en = { platformLocale: 'en' as const };
    await c.say('I want to file a formal petition: the school charges illegal fees and nobody answers', en);
    expect(texts(await c.say('13812345678', en))).toContain('Type: formal petition\n');
    expect(texts(await c.say('yes', en))).toContain('Filed as XH-2026-000001 (formal petition).');
    expect((await cases.get('XH-2026-000001'))?.type).toBe('petition');
    await db.close();
  });
});
