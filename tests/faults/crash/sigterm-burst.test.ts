import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/storage/open-store.js';
import { listeningPort } from '../../helpers/listening-port.js';
import { fileIntegrityProblems } from '../../helpers/integrity.js';
import { startEmulator, type BotMessage, type Emulator } from '../../helpers/telegram-emulator.js';
import { tempDir } from '../helpers/engine-stack.js';

/**
 * SIGTERM / SIGINT while parents are busy (issue: operation under faults, item 1). The bot runs as its own
 * process (`src/main.ts` through tsx, as `npm start` runs it) with Telegram long polling against the
 * telegram-test-api emulator (its getUpdates keeping Telegram's offset contract: an update comes again until
 * confirmed) and the web chat on PORT. Telegram and web parents ask a question and file a complaint, all at
 * once; the signal comes as the first case codes are shown. What must hold:
 * - the process exits 0 by itself, having logged what it drained;
 * - every answer a parent saw is in the message log, and every case code shown is on disk once, in its chat;
 * - a web message sent while the bot stops gets a clear "restarting, send again" answer (503), never a hang;
 * - after a restart every parent finishes: Telegram messages not taken are delivered again and answered once.
 * Nothing is timed: bounds (AbortSignal, waits for a message) only turn a hang into a failure.
 * The bot listens on PORT=0 and the test reads the port it got from its log; /healthz must name this test's
 * INSTANCE_ID. Other test runs share the machine: a port picked beforehand can be taken before the bot listens
 * (EADDRINUSE), and a port the stopped bot left can be taken by another run's bot, which must never count as ours
 * (it once did: another run's web parents filed 6 cases in this database, and this run's parents in theirs).
 */
const TOKEN = '123456:sigterm-burst-token';
const TELEGRAM_PARENTS = 12;
const WEB_PARENTS = 6;
const QUESTION = '娃2020年8月30号生的今年能上一年级不';
const ANSWERED = /8月31日/;
const CODE = /XH-\d{4}-\d{6}/;
const HANG = 90_000; // a parent waiting this long for an answer means the bot hung or lost the message

let emulator: Emulator | undefined;
const children: ChildProcess[] = [];
/** Each test's run, marked over when it ends: its web parents still waiting send nothing more (a failed test's stop there). */
const runs: { over: boolean }[] = [];
afterEach(async () => {
  for (const run of runs.splice(0)) run.over = true;
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await emulator?.close();
  emulator = undefined;
});

interface Bot {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The port it listens on (PORT=0: the OS picked it), read from its log. */
  port: Promise<number>;
}

/** Where this test's bot is: its port, and its INSTANCE_ID, which /healthz must name (no other run's bot counts). */
interface Door {
  port: number;
  instance: string;
}

function startBot(env: Record<string, string>): Bot {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, ...env, PORT: '0' }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => stderr, exited, port: listeningPort(child, () => stderr) };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, bound = HANG): Promise<T> {
  const deadline = Date.now() + bound;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // polling a separate process; no verdict depends on it
  }
}

async function healthy(door: Door): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${door.port}/healthz`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as { instance?: string; channels?: Record<string, string> };
  return body.instance === door.instance && body.channels?.telegram === 'connected' && body.channels.web === 'connected';
}

/** The next bot message in `chatId` after the first `seen` that matches. */
function nextBotMessage(em: Emulator, chatId: number, seen: number, match: (m: BotMessage) => boolean): Promise<BotMessage> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const found = em.botMessages(chatId).slice(seen).find(match);
      if (!found) return;
      em.server.off('AddedBotMessage', check);
      clearTimeout(timer);
      resolve(found);
    };
    const timer = setTimeout(() => {
      em.server.off('AddedBotMessage', check);
      reject(new Error(`chat ${chatId}: no answer (hang or lost message); got ${JSON.stringify(em.botMessages(chatId).map((m) => m.text.slice(0, 40)))}`));
    }, HANG);
    em.server.on('AddedBotMessage', check);
    check();
  });
}

const button = (m: BotMessage, label: RegExp) => m.replyMarkup?.inline_keyboard.flat().find((b) => label.test(b.text));

interface Outcome {
  codes: Map<string, string>; // code → chat (Telegram chat id, or the web parent's name)
  answeredBeforeStop: Set<number>; // Telegram chats whose question was answered by the first process
  restartAnswers: number; // web messages answered "restarting, send again"
}

async function telegramParent(em: Emulator, chatId: number, out: Outcome, firstRun: () => boolean): Promise<void> {
  const client = em.server.getClient(TOKEN, { chatId, userId: chatId, firstName: '家长' });
  const seen = () => em.botMessages(chatId).length;
  let mark = seen();
  await client.sendMessage(client.makeMessage(QUESTION));
  await nextBotMessage(em, chatId, mark, (m) => ANSWERED.test(m.text));
  if (firstRun()) out.answeredBeforeStop.add(chatId);
  mark = seen();
  await client.sendMessage(client.makeMessage(`我要投诉第${chatId % 1000}小学强制订购教辅材料`));
  const offer = await nextBotMessage(em, chatId, mark, (m) => Boolean(button(m, /不留电话/)));
  mark = seen();
  await client.sendCallback(client.makeCallbackQuery(button(offer, /不留电话/)!.callback_data, { message: { message_id: offer.messageId } } as never));
  const summary = await nextBotMessage(em, chatId, mark, (m) => Boolean(button(m, /确认提交/)));
  mark = seen();
  await client.sendCallback(client.makeCallbackQuery(button(summary, /确认提交/)!.callback_data, { message: { message_id: summary.messageId } } as never));
  const filed = await nextBotMessage(em, chatId, mark, (m) => CODE.test(m.text));
  out.codes.set(CODE.exec(filed.text)![0], String(chatId));
}

type WebMessage = { text: string; buttons?: { label: string; ref: string }[][] };

async function webParent(door: () => Door, index: number, out: Outcome, run: { over: boolean }): Promise<void> {
  const name = `网页${index}号`;
  let cookie = '';
  let n = 0;
  const say = async (body: Record<string, unknown>): Promise<WebMessage[]> => {
    const payload = JSON.stringify({ ...body, id: `parent${index}-msg${(n += 1)}` }); // resent as is: handled once
    for (;;) {
      if (run.over) throw new Error(`${name}: the test ended`);
      const origin = `http://127.0.0.1:${door().port}`;
      let res: Response;
      try {
        res = await fetch(`${origin}/chat/api/messages`, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
          body: payload,
          signal: AbortSignal.timeout(HANG), // a hang fails the test
        });
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') throw new Error(`${name}: the web chat hung`);
        await until('the bot to come back', () => healthy(door())); // refused: the bot is down; send again once it is up
        continue;
      }
      const set = res.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!;
      const json = (await res.json()) as { messages?: WebMessage[]; message?: string };
      if (res.status === 503) {
        // The bot is stopping: it says so, took nothing, and the parent sends the same message again later.
        expect(json.message).toMatch(/正在重启.*没有收到.*重新发送/);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        out.restartAnswers += 1;
        await until('the bot to come back', () => healthy(door()));
        continue;
      }
      expect(res.status, JSON.stringify(json)).toBe(200);
      return json.messages ?? [];
    }
  };
  const ref = (messages: WebMessage[], label: string) => messages.flatMap((m) => (m.buttons ?? []).flat()).find((b) => b.label === label)?.ref;
  const answer = await say({ text: QUESTION });
  expect(answer.map((m) => m.text).join('\n')).toMatch(ANSWERED);
  const asked = await say({ text: `我要投诉${name}小学强制订购教辅材料` });
  const summary = await say({ button: ref(asked, '不留电话') });
  const filed = await say({ button: ref(summary, '确认提交') });
  const code = CODE.exec(filed.map((m) => m.text).join('\n'))?.[0];
  expect(code, `${name}: no case code in ${JSON.stringify(filed)}`).toBeDefined();
  out.codes.set(code!, name);
}

describe.each(['SIGTERM', 'SIGINT'] as const)('%s during a burst of Telegram and web parents', (signal) => {
  it('drains, exits 0, keeps every answer and case shown, and the rest is handled after the restart', { timeout: 240_000 }, async () => {
    emulator = await startEmulator({ confirmByOffset: true });
    const em = emulator;
    em.server.setMaxListeners(TELEGRAM_PARENTS + 1); // each Telegram parent waits on AddedBotMessage
    const dbPath = join(tempDir('civicdesk-sigterm-'), 'burst.db');
    const run = { over: false };
    runs.push(run);
    const instance = `sigterm-burst-${randomUUID()}`; // the same name after the restart, as a restarted bot has
    const env = {
      DATABASE_PATH: dbPath,
      INSTANCE_ID: instance,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: em.apiRoot,
      WEB_CHAT_ENABLED: 'true',
      JOBS_ENABLED: 'false',
      SLACK_BOT_TOKEN: '',
    };
    let bot = startBot(env);
    let door: Door = { port: await bot.port, instance };
    await until('the bot to start', () => healthy(door), 120_000);

    const out: Outcome = { codes: new Map(), answeredBeforeStop: new Set(), restartAnswers: 0 };
    let first = true;
    const firstChats = Array.from({ length: TELEGRAM_PARENTS }, (_, i) => 810_000 + i);
    const parents = [
      ...firstChats.map((chat) => telegramParent(em, chat, out, () => first)),
      ...Array.from({ length: WEB_PARENTS }, (_, i) => webParent(() => door, i + 1, out, run)),
    ];
    const settled = Promise.allSettled(parents);

    // The signal comes with the first codes shown: the other parents are mid-conversation.
    await until('the first cases to be filed', async () => out.codes.size >= 2);
    // Counted when the signal is sent, not after the exit: the drain finishes the turns in hand, so on a loaded
    // machine every parent may have a code by the time the process is gone, which is the drain working.
    const codesAtSignal = out.codes.size;
    bot.child.kill(signal);
    const exit = await bot.exited;
    first = false;
    const log = bot.stderr();
    expect(exit, log.slice(-3000)).toEqual({ code: 0, signal: null });
    const drained = log.split('\n').filter((l) => l.includes('"shutdown: drained"'));
    expect(drained, log.slice(-3000)).toHaveLength(1);
    expect(JSON.parse(drained[0]!)).toMatchObject({ signal, turnsFinished: expect.any(Number), outboxPending: expect.any(Number) });

    // What the stopped process left on disk, before anything else runs.
    const codesAtStop = new Map(out.codes);
    expect(codesAtSignal, 'the burst was over before the signal').toBeLessThan(TELEGRAM_PARENTS + WEB_PARENTS);
    const db = await openStore(dbPath);
    expect(await fileIntegrityProblems(db)).toEqual([]);
    for (const [code, chat] of codesAtStop) {
      const rows = await db.all<{ chat_id: string; channel: string }>('SELECT chat_id, channel FROM cases WHERE code = ?', [code]);
      expect(rows, `${code} was shown to ${chat} but is not on disk once`).toHaveLength(1);
      if (!chat.startsWith('网页')) expect(rows[0]).toEqual({ chat_id: chat, channel: 'telegram' });
    }
    for (const chat of out.answeredBeforeStop) {
      // The question is the chat's one knowledge answer (the log keeps no text of an answered question).
      const logged = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE channel = 'telegram' AND chat_id = ? AND answered = 1", [String(chat)]);
      expect(logged?.n, `chat ${chat} saw its answer but the message log lost the question`).toBe(1);
    }
    expect(await db.all("SELECT id FROM outbox WHERE state = 'sending'")).toEqual([]); // nothing half-sent
    await db.close();

    // Restart: every parent finishes.
    bot = startBot(env);
    door = { port: await bot.port, instance };
    await until('the bot to restart', () => healthy(door), 120_000);
    const results = await settled;
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    expect(out.codes.size).toBe(TELEGRAM_PARENTS + WEB_PARENTS);

    const check = await openStore(dbPath);
    for (const chat of firstChats) {
      // Taken once: one answer to the question, one case, one logged question (no redelivery handled twice).
      expect(em.botMessages(chat).filter((m) => ANSWERED.test(m.text)), `chat ${chat}`).toHaveLength(1);
      const n = await check.get<{ n: number }>("SELECT COUNT(*) AS n FROM messages WHERE channel = 'telegram' AND chat_id = ? AND answered = 1", [String(chat)]);
      expect(n?.n, `chat ${chat}: question logged`).toBe(1);
    }
    const perChat = await check.all<{ chat_id: string; n: number }>('SELECT chat_id, COUNT(*) AS n FROM cases GROUP BY chat_id');
    expect(perChat.filter((r) => r.n !== 1)).toEqual([]);
    expect(perChat).toHaveLength(TELEGRAM_PARENTS + WEB_PARENTS);
    await check.close();

    const exitAgain = bot.exited;
    bot.child.kill(signal);
    expect((await exitAgain).code).toBe(0);
  });
});
