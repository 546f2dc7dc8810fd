import { afterEach, describe, expect, it } from 'vitest';
import { fakeClock } from '../helpers/telegram-db.js';
import { createTelegramStack, type TelegramStack } from '../helpers/telegram-harness.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { testContext } from '../jobs/helpers.js';
import { badGateway, botApiError, startRecordingBotApi, type RecordingBotApi } from './helpers/recording-bot-api.js';

/**
 * The closing answer of a case that later fails to reach the parent on Telegram (they blocked the bot, the chat
 * is gone, or the Bot API failed for a day): a closed case takes no 联系不上 transition, so before, it was only
 * flagged in the database and logged. Now staff see it where they work — a thread line and a warning on the
 * case card in Slack (signed Bolt app, Web API stub), the console notice — with the other way to reach the
 * parent. Real telegraf client against a recording Bot API on 127.0.0.1, real SQLite file, a fake clock.
 */
let api: RecordingBotApi | undefined;
let stack: TelegramStack | undefined;
let slack: SlackHarness | undefined;
afterEach(async () => {
  await slack?.close();
  await stack?.close();
  await api?.close();
  api = stack = slack = undefined;
});

async function start() {
  api = await startRecordingBotApi();
  const clock = fakeClock();
  stack = await createTelegramStack({ apiRoot: api.apiRoot, clock });
  slack = await startSlackHarness({ now: () => new Date(clock.now()) }, { db: stack.db, desk: stack.cases });
  return { api, clock, stack, slack };
}

const texts = (h: SlackHarness, method: string) => h.stub.callsOf(method).map((c) => JSON.stringify(c.body));

describe('a closing answer that does not reach the parent on Telegram', () => {
  it('"bot was blocked" after the close: the case card and the thread tell staff, with the phone to call instead, once', async () => {
    const { api, clock, stack, slack } = await start();
    const c = await stack.cases.file({ type: 'complaint', channel: 'telegram', chatId: '920030', contact: '13812345678', text: '学校食堂饭菜变质。', actor: 'citizen' });
    await stack.cases.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    await slack.slack.staffDesk.drainOnce();

    api.failWhen((body) => (String(body.chat_id) === '920030' ? botApiError(403, 'Forbidden: bot was blocked by the user') : undefined));
    await stack.cases.act(c.code, { kind: 'close', note: '已责令食堂整改，供应商已更换。' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    clock.advance(3_600_000);
    await stack.channel.sender.drain();

    expect(await stack.cases.get(c.code)).toMatchObject({ state: 'closed', unreachable: true });
    const mark = slack.stub.calls.length;
    await slack.slack.staffDesk.drainOnce();
    const thread = slack.stub.callsOf('chat.postMessage').filter((p) => p.body.thread_ts).map((p) => String(p.body.text));
    const line = thread.find((t) => t.includes('消息未送达'));
    expect(line).toContain('发给诉求人的消息未送达（Telegram: 403: Forbidden: bot was blocked by the user）：诉求人可能没有收到办结答复。');
    expect(line).toContain(`请改用电话联系诉求人（号码见 /case ${c.code}）`);
    expect(thread.filter((t) => t.includes('消息未送达'))).toHaveLength(1);
    const card = await slack.stub.waitFor('chat.update', undefined, { since: mark });
    expect(JSON.stringify(card.body.blocks)).toContain('答复未送达诉求人');
    expect(texts(slack, 'chat.postMessage').join('\n')).not.toContain('13812345678'); // the number stays masked

    // Every later message to the blocked chat fails too: no second warning.
    await stack.channel.sender.drain();
    expect(await slack.slack.staffDesk.drainOnce()).toBe(0);

    // The digest lists it, with the other way to reach the parent (run by hand: the fake clock is on a Saturday).
    const ctx = { ...testContext(stack.db), manual: true };
    await dailyDigest.run(ctx, new Date(clock.now() + 12 * 3600_000));
    const digest = ctx.poster.posts.map((p) => p.text).join('\n').split('\n');
    const head = digest.indexOf('📵 答复未送达诉求人：1 件（机器人已无法联系，请改用其他方式告知）');
    expect(head).toBeGreaterThan(0);
    expect(digest[head + 1]).toMatch(new RegExp(`^• ${c.code} .* — 请改用电话联系诉求人（号码见 /case ${c.code}），并在案件中记录。$`));
  });

  it('the Bot API failing for a day after the close: given up, and staff told the parent left no phone', async () => {
    const { api, clock, stack, slack } = await start();
    const c = await stack.cases.file({ type: 'inquiry', channel: 'telegram', chatId: '920031', text: '转学手续怎么办？', actor: 'citizen' });
    await stack.channel.sender.drain();
    await slack.slack.staffDesk.drainOnce();
    api.failWhen(() => badGateway());
    await stack.cases.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    await stack.cases.act(c.code, { kind: 'close', note: '请携带户口本到教育局办理。' }, 'slack:USTAFF1');
    const dayLater = clock.now() + 24 * 3600_000;
    while (clock.now() <= dayLater + 10 * 60_000) {
      await stack.channel.sender.drain();
      clock.advance(5 * 60_000);
    }
    expect(await stack.cases.get(c.code)).toMatchObject({ state: 'closed', unreachable: true });
    await slack.slack.staffDesk.drainOnce();
    const line = slack.stub.callsOf('chat.postMessage').map((p) => String(p.body.text)).find((t) => t.includes('消息未送达'));
    expect(line).toMatch(/发给诉求人的消息未送达（Telegram: .*gave up after \d+ attempts\)）/);
    expect(line).toContain('诉求人未留联系电话，无法另行联系');
  });
});
