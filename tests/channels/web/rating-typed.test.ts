import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, WEB_TEST_START, type WebStack } from '../../helpers/web-chat-harness.js';
import { webParent } from '../../helpers/web-chat-client.js';

/**
 * Review 18 R19: ratings typed the way phones type them — star emoji (⭐, with or without U+FE0F), 好评 / 中评 / 差评,
 * "一般般吧" — are recorded through the web chat's real routes, and the parent is told what was recorded.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function closedComplaint() {
  const clock = { now: new Date(WEB_TEST_START) };
  stack = await createWebStack({}, { now: () => clock.now });
  const parent = webParent(stack);
  const code = await parent.fileComplaint('我要投诉彩屯小学乱收费，每个学生收500元资料费');
  await stack.cases.act(code, { kind: 'claim' }, 'slack:USTAFF1');
  await stack.cases.act(code, { kind: 'close', note: '已责令学校退还资料费。' }, 'slack:USTAFF1');
  clock.now = new Date(WEB_TEST_START + 3_600_000);
  return { parent, code, db: stack.db };
}

/** The bot's last lines of a turn (the closing message, queued through the outbox, comes first in the same turn). */
const ends = (reply: string, expected: string) => expect(reply.slice(-expected.length)).toBe(expected);

const ratings = (db: WebStack['db']) => db.all<{ value: number; label: string }>('SELECT value, label FROM ratings');

describe('web chat: a rating typed as phones type it (review 18 R19)', () => {
  for (const [typed, value, label, stars] of [
    ['⭐⭐⭐⭐⭐', 5, '非常满意', '★★★★★'],
    ['⭐️⭐️⭐️⭐️', 4, '满意', '★★★★☆'],
    ['🌟🌟🌟', 3, '一般', '★★★☆☆'],
    ['5⭐', 5, '非常满意', '★★★★★'],
  ] as const)
    it(`"${typed}" after the closing message records ${value} stars and says so`, async () => {
      const { parent, code, db } = await closedComplaint();
      ends(await parent.say(typed), `已记录您对诉求 ${code} 的评价：${stars} ${label}。\n感谢您的评价！`);
      expect(await ratings(db)).toEqual([{ value, label }]);
    });

  it('"一般般吧" is the label 一般 as people say it: three stars', async () => {
    const { parent, code, db } = await closedComplaint();
    ends(await parent.say('一般般吧'), `已记录您对诉求 ${code} 的评价：★★★☆☆ 一般。\n感谢您的评价！`);
    expect(await ratings(db)).toEqual([{ value: 3, label: '一般' }]);
  });

  it('"好评" is recorded as the top level, and the reply names the word and the level', async () => {
    const { parent, code, db } = await closedComplaint();
    ends(await parent.say('好评'), `已记录您对诉求 ${code} 的评价：“好评”记为 ★★★★★ 非常满意。\n感谢您的评价！`);
    expect(await ratings(db)).toEqual([{ value: 5, label: '非常满意' }]);
  });

  it('"差评" is recorded as one star, said so, and the parent is offered to have the case handled again', async () => {
    const { parent, code, db } = await closedComplaint();
    const reply = await parent.say('差评');
    expect(reply).toContain(`已记录您对诉求 ${code} 的评价：“差评”记为 ★☆☆☆☆ 非常不满意。`);
    expect(reply).toContain('如对办理结果有异议，可以点“不满意，要求重新办理”');
    expect(parent.labels()).toContain('不满意，要求重新办理');
    expect(await ratings(db)).toEqual([{ value: 1, label: '非常不满意' }]);
  });

  it('an emoji the bot cannot read as stars (👍) while the rating is awaited gets the stars again, not "我没看懂"', async () => {
    const { parent, code, db } = await closedComplaint();
    const reply = await parent.say('👍');
    expect(reply).toContain('没有看懂这个评价。请点下面的星级');
    expect(reply).not.toContain('我没看懂这条消息');
    expect(parent.labels()).toContain('★★★★★ 非常满意');
    expect(await ratings(db)).toEqual([]);
    expect(await parent.press('★★★★★ 非常满意')).toBe(`已记录您对诉求 ${code} 的评价：★★★★★ 非常满意。\n感谢您的评价！`);
  });
});
