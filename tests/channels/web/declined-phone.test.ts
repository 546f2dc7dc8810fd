import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, WEB_TEST_START, type WebStack } from '../../helpers/web-chat-harness.js';
import { webParent } from '../../helpers/web-chat-client.js';

/**
 * A phone written in the petition is offered back as the contact ("工作人员用这个号码联系您可以吗？"). The parent's
 * answer decides: 就用这个号码 makes it the case's contact; 不留电话 means no call — the case has no contact, and the
 * number stays only masked in the case text, as the confirm summary showed the parent. Real web routes, engine, desk
 * and database.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const COMPLAINT = '我要投诉彩屯小学食堂多收伙食费，我的电话13987654321，请尽快核实退还';

describe('web chat: the phone written in a petition, offered as the contact', () => {
  it('declined with 不留电话: filed with no contact, the number masked in the case text, none shown at the confirm', async () => {
    stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START) });
    const parent = webParent(stack);
    expect(await parent.say(COMPLAINT)).toContain('您在内容里留了电话 139****4321');
    const summary = await parent.press('不留电话');
    expect(summary).toContain('请确认您的诉求');
    expect(summary).toContain('联系电话：未留');
    expect(await parent.press('确认提交')).toMatch(/XH-\d{4}-\d{6}/);
    const [filed] = await stack.db.all<{ contact: string | null; text: string }>('SELECT contact, text FROM cases');
    expect(filed).toEqual({ contact: null, text: expect.stringContaining('139****4321') });
    expect(filed!.text).not.toContain('98765');
  });

  it('accepted with 就用这个号码: the number is the case contact', async () => {
    stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START) });
    const parent = webParent(stack);
    await parent.say(COMPLAINT);
    await parent.press('就用这个号码');
    expect(await parent.press('确认提交')).toMatch(/XH-\d{4}-\d{6}/);
    expect(await stack.db.all('SELECT contact FROM cases')).toEqual([{ contact: '13987654321' }]);
  });
});
