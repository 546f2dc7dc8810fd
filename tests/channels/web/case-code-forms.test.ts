import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, WEB_TEST_START, type WebStack } from '../../helpers/web-chat-harness.js';
import { webParent } from '../../helpers/web-chat-client.js';

let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('web chat: a case code typed with a Chinese input method', () => {
  it('is read as the code: em dash, full width, a trailing 。 all give the case status', async () => {
    stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START) });
    const parent = webParent(stack);
    const code = await parent.fileComplaint('我要投诉彩屯小学乱收费，每个学生收500元资料费');
    const fullWidth = code.replace(/[0-9A-Z-]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
    for (const typed of [`查询${code.replace(/-/g, '—')}`, fullWidth, `${code.replace(/-/g, '－')}。`, `${code.replace(/-/g, '–')} 进度`]) {
      const answer = await parent.say(typed);
      expect(answer, typed).toContain(`编号 ${code}`);
      expect(answer, typed).toContain('状态：');
    }
  }, 30_000);
});
