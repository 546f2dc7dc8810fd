import { afterEach, describe, expect, it } from 'vitest';
import { fakeClock } from '../helpers/telegram-db.js';
import { createTelegramStack, type TelegramStack } from '../helpers/telegram-harness.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { buttonsOf } from '../helpers/slack-blocks.js';
import { CASE_ACTIONS } from '../../src/channels/slack/types.js';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { testContext } from '../jobs/helpers.js';
import { botApiError, startRecordingBotApi, type RecordingBotApi } from './helpers/recording-bot-api.js';

/**
 * review17 #17: a notice counts only once it reached the citizen. A 信访 受理告知 (the bot's claim message) that
 * Telegram refuses for good ("bot was blocked") is no longer recorded as given: staff read so in the thread, and the
 * digest's 受理告知 reminder lists the case. A 补正告知 that never arrived no longer stops the disclosure clock: the
 * request is void and the deadline stands. Real telegraf client against a recording Bot API, signed Bolt app with its
 * Web API stub, one SQLite file, a fake clock.
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
  const clock = fakeClock(); // Sat 28 Nov 2026, 09:00 Beijing
  stack = await createTelegramStack({ apiRoot: api.apiRoot, clock });
  slack = await startSlackHarness({ now: () => new Date(clock.now()) }, { db: stack.db, desk: stack.cases });
  return { api, clock, stack, slack };
}

const threadLines = (h: SlackHarness) => h.stub.callsOf('chat.postMessage').filter((p) => p.body.thread_ts).map((p) => String(p.body.text));
const blocked = (chatId: string) => (body: Record<string, unknown>) =>
  String(body.chat_id) === chatId ? botApiError(403, 'Forbidden: bot was blocked by the user') : undefined;

describe('notices that never reached the citizen', () => {
  it('a 信访 受理告知 refused by Telegram is not recorded as given; the thread says so and the digest lists the case', async () => {
    const { api, clock, stack, slack } = await start();
    const c = await stack.cases.file({ type: 'petition', channel: 'telegram', chatId: '930001', text: '我要信访，反映彩屯小学校长违规收费问题', actor: 'citizen' });
    await stack.channel.sender.drain();
    await slack.slack.staffDesk.drainOnce();

    api.failWhen(blocked('930001'));
    await stack.cases.act(c.code, { kind: 'claim' }, 'slack:USTAFF1'); // the claim message is the 受理告知
    await stack.channel.sender.drain();

    expect(await stack.cases.get(c.code)).toMatchObject({ state: 'unreachable', acceptanceNoticeAt: null, acceptanceNoticeVia: null });
    await slack.slack.staffDesk.drainOnce();
    expect(threadLines(slack).join('\n')).toContain(`受理告知未送达，记录已撤销：请以电话、书面等方式告知信访人已受理，再用 /case notified ${c.code} 方式 记录`);

    // The digest (run by hand on Fri 11 Dec, 08:30) asks for the notice: due 15 日 after receipt.
    const ctx = { ...testContext(stack.db), manual: true };
    await dailyDigest.run(ctx, new Date(clock.now() + 13 * 86_400_000 - 30 * 60_000));
    const digest = ctx.poster.posts.map((p) => p.text).join('\n').split('\n');
    const head = digest.findIndex((l) => l.startsWith('📨 信访受理告知待记录：1 件'));
    expect(head).toBeGreaterThan(0);
    expect(digest[head + 1]).toContain(c.code);
  });

  it('a 补正告知 refused by Telegram does not stop the disclosure clock; the request is void and may be made again', async () => {
    const { api, stack, slack } = await start();
    const c = await stack.cases.file({
      type: 'disclosure', channel: 'telegram', chatId: '930002', text: '申请公开彩屯小学2026年招生计划', applicantType: '自然人', actor: 'citizen',
    });
    await stack.cases.act(c.code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    await slack.slack.staffDesk.drainOnce();
    const deadline = (await stack.cases.get(c.code))!.deadlineOn;
    expect(deadline).not.toBeNull();

    api.failWhen(blocked('930002'));
    await stack.cases.requestCorrection(c.code, '请补充要公开的是哪一年的招生计划', 'slack:USTAFF1');
    expect((await stack.cases.get(c.code))!.deadlineOn).toBeNull(); // stopped while the notice is on its way
    await stack.channel.sender.drain();

    const after = (await stack.cases.get(c.code))!;
    expect(after.deadlineOn).toBe(deadline);
    expect((await stack.cases.history(c.code)).map((e) => e.kind)).toContain('correction_undelivered');
    await slack.slack.staffDesk.drainOnce();
    const lines = threadLines(slack).join('\n');
    expect(lines).toContain('补正告知未送达申请人，该补正要求作废，答复期限照常计算：请补充要公开的是哪一年的招生计划');
    expect(lines).toContain(`补正告知未送达，该补正要求作废，答复期限照常计算（${deadline}）`);
    const card = slack.stub.callsOf('chat.update').at(-1)!;
    expect(buttonsOf(card)).toContain(CASE_ACTIONS.correct); // staff may ask again, by phone (with its way)
  });
});
