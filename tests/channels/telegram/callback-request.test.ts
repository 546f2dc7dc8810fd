import { describe, expect, it } from 'vitest';
import { liveTelegramOnSetClock } from '../../helpers/telegram-live.js';

/**
 * Through the real telegraf bot on the telegram-test-api emulator: a parent with no case open writes "请回电" with a
 * number. Before, the bot said the number was not kept ("这个号码没有保存"); now the request is a 转人工 case with the
 * number as its contact, the code said once it is committed and the number shown masked; with a case open the number
 * goes onto it (late contact). The desk runs on a set clock.
 */
const live = liveTelegramOnSetClock(Date.UTC(2026, 10, 24, 1, 30));
const parent = (chatId: number) => live.parent(chatId);

const casesOf = (chatId: number) => live.stack.cases.list({ chatId: String(chatId), channel: 'telegram' });

describe('Telegram: "请回电" with a number', () => {
  it('with no case open: a 转人工 case with the number as contact; the parent gets its code and the number masked', async () => {
    const p = parent(861);
    await p.say('请回电 13912345678');
    const reply = await p.next((text) => /XH-\d{4}-\d{6}/.test(text));
    const [record, ...more] = await casesOf(861);
    expect(more).toEqual([]);
    expect(record).toMatchObject({ handoff: true, contact: '13912345678', text: '请回电 139****5678' });
    expect(reply.text).toContain(`编号 ${record!.code}`);
    expect(reply.text).toContain('您留下的电话 139****5678 已记为联系方式');
    expect(p.all().join('\n')).not.toMatch(/13912345678|没有保存|来源/);
  });

  it('with a case open without a phone: the number goes onto it, the request reaches staff; no second case', async () => {
    const p = parent(862);
    const code = (await live.stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '862', citizenRef: '862', text: '投诉彩屯小学乱收费，每个学生收500元资料费', actor: 'citizen' })).code;
    await p.next((text) => text.includes(`已登记，编号 ${code}`));
    await p.say('麻烦回电，13912345678');
    await p.next((text) => text === `已把联系电话 139****5678 记入诉求 ${code}，工作人员需要时会打这个电话联系您。`);
    expect((await casesOf(862)).map((c) => [c.code, c.contact])).toEqual([[code, '13912345678']]);
    expect((await live.stack.cases.history(code)).filter((e) => e.kind === 'followup').map((e) => e.note)).toEqual(['麻烦回电，139****5678']);
  });
});
