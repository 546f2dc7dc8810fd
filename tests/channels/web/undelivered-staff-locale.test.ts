import { afterEach, describe, expect, it } from 'vitest';
import { deleteWebSession } from '../../../src/storage/web-repo.js';
import { webParent } from '../../helpers/web-chat-client.js';
import { createWebStack, type WebStack } from '../../helpers/web-chat-harness.js';

/**
 * A closing answer whose web session is gone is not stored unread; staff are told on the case, in STAFF_LOCALE
 * (Chinese by default: web-chat-api.test.ts). The parent filed in Chinese and was answered in Chinese.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('web chat: the undelivered note for staff', () => {
  it('is in English with STAFF_LOCALE=en', async () => {
    let at = Date.UTC(2026, 10, 24, 1, 30, 0);
    stack = await createWebStack({ STAFF_LOCALE: 'en' }, { now: () => new Date(at) });
    const parent = webParent(stack);
    const code = await parent.fileComplaint('我要投诉彩屯小学收取补课费每人500元');
    expect((await parent.history()).join('\n')).toContain(`已登记，编号 ${code}`);
    await stack.cases.act(code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    at += 86_400_000;
    await deleteWebSession(stack.db, (await stack.cases.get(code))!.chatId!, new Date(at));
    await stack.cases.act(code, { kind: 'close', note: '已责令学校退还补课费。' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    expect((await stack.cases.history(code)).at(-1)).toMatchObject({ kind: 'undelivered', note: 'web chat: the session ended (the parent left)' });
  });
});
