import { describe, expect, it } from 'vitest';
import { phonePage, withScreenshot } from '../../helpers/browser.js';
import { browserAndWebStack, openChat, sendText as send } from '../../helpers/browser-chat.js';

/**
 * In a real browser: a parent who types the label of a button the bot offers ("就用这个号码", "确认提交") instead of
 * pressing it gets what the press gives; a message that only contains the label is read as what it says.
 */
const { browser, stack } = browserAndWebStack();

describe('a button label typed in the web chat (browser)', () => {
  it('"就用这个号码" typed takes the offered number, "确认提交。" typed files the case', async () => {
    const page = await phonePage(browser().browser);
    await withScreenshot(page, 'web-chat-typed-label', async () => {
      await openChat(page, stack().origin);
      expect(await send(page, '我要投诉彩屯小学乱收费，每人500元，电话 139 1234 5678')).toContain('您在内容里留了电话 139****5678');
      // A question with the label in it is no press: the offer is still open.
      const asked = await send(page, '就用这个号码吗？我换号了');
      expect(asked).not.toContain('联系电话：139****5678');
      const confirm = await send(page, ' 就用这个号码 ');
      expect(confirm).toContain('联系电话：139****5678');
      expect(confirm).toContain('内容：我要投诉彩屯小学乱收费，每人500元，电话 139****5678');
      expect(confirm).not.toContain('就用这个号码');
      const filed = await send(page, '确认提交。');
      const code = /XH-\d{4}-\d{6}/.exec(filed)?.[0];
      expect(code).toBeDefined();
      expect((await stack().cases.get(code!))?.contact).toBe('13912345678');
    });
  }, 60_000);
});
