import { describe, expect, it } from 'vitest';
import { topicFromLink } from '../../../src/core/engine/shared-chat.js';
import type { Incoming } from '../../../src/core/types.js';
import { labels, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * The engine in a group chat (review 16, item 3): one chat id, several parents. Questions only; anything personal
 * is sent to a private chat by deep link, and a private chat opened by one of those links starts that request.
 */
const GROUP = '-100555';
const LINK = 'https://t.me/XihuEduBot';

async function setup() {
  const { engine, db, cases } = await makeEngine(tempDbPath());
  const inGroup = (userId: string, text: string, extra: Partial<Incoming> = {}) =>
    engine.handle({ channel: 'telegram', chatId: GROUP, userId, text, sharedChat: { privateChatUrl: LINK }, ...extra });
  const inPrivate = (userId: string, text: string, extra: Partial<Incoming> = {}) => engine.handle({ channel: 'telegram', chatId: userId, userId, text, ...extra });
  return { engine, db, cases, inGroup, inPrivate };
}

describe('a group chat: questions only', () => {
  it("the reviewer's sequence: B's phone, 确认 and 撤回 do nothing to A's petition, and nothing is filed", async () => {
    const { db, cases, inGroup } = await setup();
    const a = await inGroup('111', '我要投诉，彩屯小学食堂每月多收伙食费200元，没有任何公示');
    expect(texts(a)).toBe(`这里是群聊，群里的人都能看到。登记投诉、建议、求助、咨询或政府信息公开申请涉及您的个人信息，请私聊我办理（打开链接后点“开始”）：\n${LINK}?start=file_complaint`);
    expect(labels(a)).toEqual([]);
    const phone = await inGroup('222', '13998765432');
    expect(texts(phone)).toContain('请不要在群里发送电话、身份证号等个人信息');
    expect(texts(phone)).not.toMatch(/139\d*|\*{4}/);
    expect(texts(await inGroup('222', '确认'))).toMatch(/^在群里我只回答入学、转学、收费等政策问题/);
    expect(texts(await inGroup('222', '撤回投诉'))).toContain(`${LINK}?start=withdraw`);
    expect(texts(await inGroup('111', '查询进度'))).toContain(`${LINK}?start=status`);
    expect(texts(await inGroup('111', '不满意，要求重新办理'))).toContain(`${LINK}?start=rate`);
    expect(texts(await inGroup('111', '转人工'))).toContain(`${LINK}?start=human`);
    expect(await cases.list({ limit: 10 })).toEqual([]);
    await db.close();
  });

  it('a filing left under the group id (before groups were kept to questions) is dropped, never confirmed by another parent', async () => {
    const { db, cases, engine, inGroup } = await setup();
    // The old behaviour: a filing opened under the group's id, waiting for a phone.
    await engine.handle({ channel: 'telegram', chatId: GROUP, userId: '111', text: '我要投诉，彩屯小学食堂每月多收伙食费200元，没有任何公示' });
    await inGroup('222', '13998765432');
    await inGroup('222', '确认');
    expect(await cases.list({ limit: 10 })).toEqual([]);
    await engine.flush();
    const state = await db.get<{ state_json: string }>('SELECT state_json FROM conversations WHERE chat_id = ?', [GROUP]);
    expect(JSON.parse(state?.state_json ?? '{}')).not.toHaveProperty('filing');
    expect(state?.state_json).not.toContain('伙食费');
    await db.close();
  });

  it('a button that acts on a case or a person is not acted on in the group', async () => {
    const { db, cases, inGroup } = await setup();
    const filed = await cases.file({ type: 'complaint', channel: 'telegram', chatId: GROUP, text: '校车晚点', actor: 'citizen' });
    await cases.act(filed.code, { kind: 'claim' }, 'console');
    await cases.act(filed.code, { kind: 'close', note: '已处理' }, 'console');
    const pressed = await inGroup('222', '★★★★★', { action: { kind: 'rate', caseCode: filed.code, value: 5 } });
    expect(texts(pressed)).toContain(`${LINK}?start=rate`);
    expect(texts(await inGroup('222', '确认撤回', { action: { kind: 'confirm' } }))).toContain(`${LINK}?start=file`);
    expect(await db.get('SELECT COUNT(*) AS n FROM ratings')).toEqual({ n: 0 });
    expect((await cases.get(filed.code))?.state).toBe('closed');
    await db.close();
  });

  it('without a private-chat link the bot still says where to go', async () => {
    const { db, engine } = await setup();
    const replies = await engine.handle({ channel: 'telegram', chatId: GROUP, userId: '1', text: '我要投诉学校乱收费', sharedChat: { privateChatUrl: null } });
    expect(texts(replies)).toContain('请私聊我办理（打开链接后点“开始”）：\n在 Telegram 里搜索本机器人的名字，发私信给我');
    await db.close();
  });
});

describe('the private chat a group link opens', () => {
  it('/start file_complaint asks for the complaint; /start file for the type; a bad payload is the usual /start', async () => {
    const { db, inPrivate } = await setup();
    const complaint = await inPrivate('111', 'file_complaint', { command: 'start' });
    expect(texts(complaint)).toBe('这里是您和我的私聊，内容只有您和办理的工作人员能看到。\n请描述您的投诉内容（事情经过、涉及的学校或单位、您的诉求）：');
    const typed = await inPrivate('333', 'file', { command: 'start' });
    expect(texts(typed)).toContain('请选择诉求类型：');
    const plain = await inPrivate('444', 'file_nonsense', { command: 'start' });
    expect(texts(plain)).toMatch(/^我可以帮您：/);
    await db.close();
  });

  it('/start withdraw and /start rate act on the parent’s own cases only', async () => {
    const { db, cases, inPrivate } = await setup();
    const own = await cases.file({ type: 'complaint', channel: 'telegram', chatId: '111', text: '食堂多收费', actor: 'citizen' });
    const withdraw = await inPrivate('111', 'withdraw', { command: 'start' });
    expect(texts(withdraw)).toContain(`确认撤回诉求 ${own.code}？`);
    expect(texts(await inPrivate('222', 'withdraw', { command: 'start' }))).not.toContain(own.code);
    await cases.act(own.code, { kind: 'claim' }, 'console');
    await cases.act(own.code, { kind: 'close', note: '已退费' }, 'console');
    expect(texts(await inPrivate('111', 'rate', { command: 'start' }))).toContain(`请为诉求 ${own.code} 的办理结果评分：`);
    expect(texts(await inPrivate('222', 'rate', { command: 'start' }))).not.toContain(own.code);
    await db.close();
  });

  it('topicFromLink takes only the known topics', () => {
    expect(topicFromLink('file')).toEqual({ topic: 'file' });
    expect(topicFromLink('file_disclosure')).toEqual({ topic: 'file_disclosure', caseType: 'disclosure' });
    expect(topicFromLink('status')).toEqual({ topic: 'status' });
    expect(topicFromLink('status_x')).toBeNull();
    expect(topicFromLink('')).toBeNull();
    expect(topicFromLink('XH-2026-000001')).toBeNull();
  });
});
