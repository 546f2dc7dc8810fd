import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, WEB_TEST_START, type WebStack } from '../../helpers/web-chat-harness.js';
import { webParent } from '../../helpers/web-chat-client.js';

/**
 * A phone the parent wrote in the chat before asking for a person (转人工): the recent lines are stored masked in the
 * conversation state and reach staff masked as the case's context, and the number is the handoff case's contact.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('web chat: 转人工 after writing a phone', () => {
  it('the handoff case takes the number as its contact; the stored lines and the context keep it masked', async () => {
    stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START) });
    const parent = webParent(stack);
    await parent.say('请问转学需要准备什么材料？我的电话139\u200B8765\u200B4321');
    const { recentPhone, ...rest } = JSON.parse((await stack.db.get<{ s: string }>('SELECT state_json AS s FROM conversations'))!.s);
    expect(recentPhone).toBe('13987654321');
    expect(JSON.stringify(rest)).toContain('139****4321');
    expect(JSON.stringify(rest)).not.toContain('98765');
    expect(await parent.say('转人工')).toMatch(/XH-\d{4}-\d{6}/);
    expect(await stack.db.all('SELECT contact, handoff FROM cases')).toEqual([{ contact: '13987654321', handoff: 1 }]);
    const notes = (await stack.db.all<{ note: string }>("SELECT note FROM case_events WHERE kind = 'context'")).map((r) => r.note);
    expect(notes.join('\n')).toContain('139****4321');
    expect(notes.join('\n')).not.toContain('98765');
  });
});
