import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, WEB_TEST_START, type WebStack } from '../../helpers/web-chat-harness.js';
import { webParent } from '../../helpers/web-chat-client.js';

/**
 * A web parent who files a 信访 and waits: the answer is due in 60 days, the session's sliding lifetime is 30
 * (WEB_CHAT_SESSION_DAYS). The session that owns the case stays live while the case is open and REOPEN_DAYS (15)
 * after it is closed, then goes with its transcript at the usual retention pass. Real web routes, engine, desk,
 * sender and SQLite file; the clock is set.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const DAY = 86_400_000;

describe('web chat: a session that owns a case', () => {
  it('gets the staff reply of day 35, finds its case again, and is deleted only after closing + REOPEN_DAYS', async () => {
    let offset = 0;
    stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START + offset) });
    const parent = webParent(stack);
    const code = await parent.fileComplaint('我要信访，反映彩屯小学校长长期违规收取补课费每人500元的问题');
    expect((await stack.cases.get(code))?.type).toBe('petition');
    // The browser keeps the cookie past the 30 days (the server decides how long the session lives).
    expect(parent.cookieMaxAge).toBe(400 * 86_400);
    await stack.cases.act(code, { kind: 'claim' }, 'slack:USTAFF1');

    offset = 35 * DAY; // inside the 60 days; no visit since the filing
    await stack.cases.act(code, { kind: 'reply', text: '经核查，补课费已全部退还。' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    const afterReply = await stack.cases.get(code);
    expect(afterReply?.state).toBe('replied');
    expect(afterReply?.unreachable).toBe(false);
    expect((await parent.history()).join('\n')).toContain('经核查，补课费已全部退还。');
    expect(await parent.say(code)).toContain(`编号 ${code}`); // last visit: day 35, sliding expiry day 65

    offset = 58 * DAY;
    await stack.cases.act(code, { kind: 'close', note: '' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    expect((await parent.history()).join('\n')).toContain('已办结');

    // Day 70: past the sliding expiry, 12 days after closing: kept (the parent may still rate or object).
    offset = 70 * DAY;
    await stack.channel.purge();
    expect((await parent.history()).join('\n')).toContain('经核查，补课费已全部退还。');

    // Day 74: 16 days after closing: the session and its transcript are deleted by the retention pass.
    offset = 74 * DAY;
    const sessionId = (await stack.cases.get(code))!.chatId!;
    await stack.channel.purge();
    expect(await stack.db.get('SELECT id FROM web_sessions WHERE id = ?', [sessionId])).toBeUndefined();
    expect(await stack.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM web_messages WHERE session_id = ?', [sessionId])).toEqual({ n: 0 });
    expect(await parent.history()).toEqual([]);
  }, 30_000);

  it('a session without a case still ends after WEB_CHAT_SESSION_DAYS', async () => {
    let offset = 0;
    stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START + offset) });
    const parent = webParent(stack);
    await parent.say('一年级报名要带什么材料');
    expect(parent.cookieMaxAge).toBe(30 * 86_400);
    offset = 31 * DAY;
    await stack.channel.purge();
    expect(await stack.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM web_sessions')).toEqual({ n: 0 });
    expect(await parent.history()).toEqual([]);
  }, 30_000);
});
