import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Update } from 'telegraf/types';
import { createTelegramChannel } from '../src/channels/telegram/create-bot.js';
import { CASE_ACTIONS, VIEWS } from '../src/channels/slack/types.js';
import { parseConfig } from '../src/config.js';
import { createCaseDesk } from '../src/core/cases/index.js';
import { createEngine, createEngineStore } from '../src/core/engine/index.js';
import { loadIntents } from '../src/core/intents/index.js';
import { buildIndex } from '../src/knowledge/index.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { openStore } from '../src/storage/open-store.js';
import { countingLogger } from '../tests/faults/helpers/counting-logger.js';
import { reconcileTelegramOutbox } from '../tests/faults/helpers/reconcile-outbox.js';
import { startRecordingBotApi } from '../tests/faults/helpers/recording-bot-api.js';
import { startSlackHarness } from '../tests/helpers/slack-harness.js';
import { blockAction, viewSubmission } from '../tests/helpers/slack-payloads.js';
import { postInteraction } from '../tests/helpers/slack-signer.js';
import { TEST_BOT_INFO, TEST_BOT_TOKEN } from '../tests/helpers/telegram-harness.js';
import { generateEntries } from './kb.js';
import type { BenchModule } from './run.js';

/**
 * End-to-end load (issue 9): 200 parents on Telegram and staff on Slack for LOAD_SECONDS (60).
 * Parents: updates through the real telegraf bot (`handleUpdate`, as long polling delivers
 * them) → real engine over a generated 10,000-entry knowledge base → SQLite outbox → paced
 * sender → a recording Bot API on 127.0.0.1. Each parent waits for its reply, then thinks
 * LOAD_THINK_MS (3000–5000 ms, under the 20/min flood guard). Staff: signed Bolt requests
 * (claim, reply button, reply modal) against the real Slack app, Web API on a stub. Counted
 * after the outbox drained: every reply part delivered once, in order; nothing lost or doubled.
 * Telegram's 30 msg/s global cap is lifted in the stand-in (LOAD_GLOBAL_PER_SECOND, default 1000)
 * so the run measures CivicDesk, not the cap; the 1 msg/s per-chat pacing stays on.
 * LOAD_PARENTS (200) and LOAD_ENTRIES (10000; 0 = the sample knowledge/ only) size the run.
 */
export interface LoadResult {
  seconds: number;
  parents: number;
  entries: number;
  inbound: number;
  outbound: number;
  inboundPerSecond: number;
  outboundPerSecond: number;
  p50: number;
  p99: number;
  slackActions: number;
  slackAckP50: number;
  slackAckP99: number;
  casesFiled: number;
  staffReplies: number;
  peakRssMb: number;
  unanswered: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  /** Outbox rows not sent, or retried, by state and last error (empty on a clean run). */
  notSent: { target: string; state: string; last_error: string | null; n: number }[];
  /** Error-level log lines of the bot during the run, by message. */
  botErrors: Record<string, number>;
}

const env = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

/** A small deterministic PRNG, so two runs send the same mix. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const textUpdate = (updateId: number, chatId: number, messageId: number, text: string): Update =>
  ({ update_id: updateId, message: { message_id: messageId, date: 1_795_000_000, chat: { id: chatId, type: 'private', first_name: '家长' }, from: { id: chatId, is_bot: false, first_name: '家长', language_code: 'zh-hans' }, text } }) as unknown as Update;

export async function benchLoad(options: { seconds?: number; parents?: number; entries?: number } = {}): Promise<LoadResult> {
  const seconds = options.seconds ?? env('LOAD_SECONDS', 60);
  const parents = options.parents ?? env('LOAD_PARENTS', 200);
  const [thinkMin, thinkMax] = (process.env.LOAD_THINK_MS ?? '3000-5000').split('-').map(Number) as [number, number];
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const db = await openStore(join(dir, 'load.db'));
  const kb = await loadKnowledge('knowledge');
  const size = options.entries ?? env('LOAD_ENTRIES', 10_000); // 0: the sample knowledge/ as it is
  const entries = size === 0 ? kb.entries : generateEntries(kb.entries, size);
  const index = buildIndex(entries, kb.synonyms);
  const { logger, errors: botErrors } = countingLogger(process.env.LOAD_LOG); // LOAD_LOG=file keeps warnings and errors
  const cases = createCaseDesk({ db });
  const engine = createEngine({ store: createEngineStore(db), knowledge: { current: () => index }, cases, intents: await loadIntents(), config: parseConfig({}), logger });

  const delivered = new Map<string, { text: string; at: number }[]>();
  const waiting = new Map<string, () => void>();
  const api = await startRecordingBotApi({
    onSend: (send, at) => {
      delivered.set(send.chatId, [...(delivered.get(send.chatId) ?? []), { text: send.text, at }]);
      waiting.get(send.chatId)?.();
    },
  });
  const channel = createTelegramChannel({ token: TEST_BOT_TOKEN, apiRoot: api.apiRoot, db, engine, cases, logger, pacing: { perChatIntervalMs: 1000, globalPerSecond: env('LOAD_GLOBAL_PER_SECOND', 1000) }, outboxPollMs: 200 });
  channel.bot.botInfo = TEST_BOT_INFO;
  await channel.sender.start();
  const slack = await startSlackHarness({ drainIntervalMs: 1000, logger }, { db, desk: cases });

  const random = rng(20261128);
  const inbound: { chat: string; key: string; t0: number }[] = [];
  const slackAcks: number[] = [];
  let staffReplies = 0;
  let updateId = 1;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const think = () => new Promise((r) => setTimeout(r, Math.max(0, Math.min(thinkMin + random() * (thinkMax - thinkMin), deadline - performance.now()))));

  async function send(chatId: number, messageId: number, text: string): Promise<void> {
    const id = updateId++;
    const chat = String(chatId);
    const replied = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      waiting.set(chat, () => (clearTimeout(timer), resolve()));
    });
    inbound.push({ chat, key: `tg:${id}:${chat}:${messageId}`, t0: performance.now() });
    await channel.bot.handleUpdate(textUpdate(id, chatId, messageId, text));
    await replied;
    waiting.delete(chat);
  }

  async function parent(i: number): Promise<void> {
    const chatId = 600_000 + i;
    let messageId = 1;
    await new Promise((r) => setTimeout(r, random() * 3000)); // arrivals spread over the first 3 s
    while (performance.now() < deadline) {
      const roll = random();
      if (roll < 0.08) {
        for (const text of [`我要投诉：第${i}号家长反映学校课后服务乱收费，每月多收两百元。`, '不留', '确认']) {
          if (performance.now() >= deadline) break;
          await send(chatId, messageId++, text);
          await think(); // a parent reads the prompt before typing the next step
        }
      } else if (roll < 0.15) await send(chatId, messageId++, roll < 0.12 ? '你好' : '查询进度');
      else {
        const entry = entries[Math.floor(random() * entries.length)]!;
        await send(chatId, messageId++, entry.questions[0] ?? entry.title);
      }
      await think();
    }
  }

  const handled = new Set<string>();
  async function staff(): Promise<void> {
    while (performance.now() < deadline) {
      const open = (await cases.list({ states: ['received'], limit: 50 })).filter((c) => !handled.has(c.code));
      for (const record of open) {
        handled.add(record.code);
        for (const payload of [
          blockAction({ actionId: CASE_ACTIONS.claim, value: record.code, responseUrl: slack.stub.responseUrl() }),
          blockAction({ actionId: CASE_ACTIONS.reply, value: record.code, responseUrl: slack.stub.responseUrl() }),
          viewSubmission({ callbackId: VIEWS.reply, privateMetadata: record.code, values: { reply: `关于${record.code}：已责令学校停止收费并退还多收费用。` } }),
        ]) {
          const t = performance.now();
          const res = await postInteraction(slack.url, payload);
          slackAcks.push(performance.now() - t);
          if (res.status !== 200) throw new Error(`Slack answered ${res.status} to a signed request`);
        }
        staffReplies += 1;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  await Promise.all([...Array.from({ length: parents }, (_, i) => parent(i)), staff()]);
  const elapsed = (performance.now() - started) / 1000;
  for (let i = 0; i < 600; i += 1) {
    const open = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE state IN ('pending', 'sending')");
    if (open?.n === 0) break;
    channel.sender.wake();
    await slack.slack.staffDesk.drainOnce();
    await new Promise((r) => setTimeout(r, 100));
  }
  clearInterval(sampler);

  const { lost, duplicated, outOfOrder, firstPart } = await reconcileTelegramOutbox(db, delivered);
  const latencies: number[] = [];
  let unanswered = 0;
  for (const m of inbound) {
    const html = firstPart.get(m.key);
    const hit = html === undefined ? undefined : (delivered.get(m.chat) ?? []).find((d) => d.text === html && d.at >= m.t0);
    if (hit) latencies.push(hit.at - m.t0);
    else unanswered += 1;
  }
  const notSent = await db.all<{ target: string; state: string; last_error: string | null; n: number }>(
    "SELECT target, state, last_error, COUNT(*) AS n FROM outbox WHERE state <> 'sent' OR last_error IS NOT NULL GROUP BY target, state, last_error",
  );
  const outbound = [...delivered.values()].reduce((n, list) => n + list.length, 0);
  const casesFiled = (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases'))?.n ?? 0;
  await slack.close();
  await channel.sender.stop();
  await api.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    seconds: elapsed,
    parents,
    entries: entries.length,
    inbound: inbound.length,
    outbound,
    inboundPerSecond: inbound.length / elapsed,
    outboundPerSecond: outbound / elapsed,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    slackActions: slackAcks.length,
    slackAckP50: pct(slackAcks, 50),
    slackAckP99: pct(slackAcks, 99),
    casesFiled,
    staffReplies,
    peakRssMb: peakRss / 2 ** 20,
    unanswered,
    lost,
    duplicated,
    outOfOrder,
    notSent,
    botErrors,
  };
}

const bench: BenchModule = {
  summary: 'end-to-end load: 200 Telegram parents + Slack staff for LOAD_SECONDS (60) over a 10,000-entry knowledge base',
  async run(print) {
    const r = await benchLoad();
    print('| parents | KB entries | seconds | parent msgs | msgs/s in | msgs/s out | reply p50 | reply p99 | Slack actions | Slack ack p50 / p99 | cases | staff replies | peak RSS | unanswered | lost | duplicated | chats out of order |');
    print('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    print(
      `| ${r.parents} | ${r.entries} | ${r.seconds.toFixed(1)} | ${r.inbound} | ${r.inboundPerSecond.toFixed(1)} | ${r.outboundPerSecond.toFixed(1)} | ` +
        `${r.p50.toFixed(0)} ms | ${r.p99.toFixed(0)} ms | ${r.slackActions} | ${r.slackAckP50.toFixed(0)} / ${r.slackAckP99.toFixed(0)} ms | ${r.casesFiled} | ${r.staffReplies} | ` +
        `${r.peakRssMb.toFixed(0)} MB${r.peakRssMb <= 200 ? ' (ok ≤ 200)' : ' (OVER 200)'} | ${r.unanswered} | ${r.lost} | ${r.duplicated} | ${r.outOfOrder} |`,
    );
    for (const row of r.notSent) print(`\noutbox rows ${row.target}/${row.state}${row.last_error ? ` (last error: ${row.last_error})` : ''}: ${row.n}`);
    for (const [message, n] of Object.entries(r.botErrors)) print(`\nbot error × ${n}: ${message}`);
  },
};
export default bench;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await benchLoad(), null, 2)}\n`);
}
