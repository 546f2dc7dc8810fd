/**
 * Crash-test child: the real Telegram pipeline (telegraf bot.handleUpdate → engine → outbox →
 * sender → Bot API at API_ROOT), the real case desk and SQLite. Every parent (one chat each)
 * files a complaint in three text messages; staff then claim and reply to the case. The parent
 * test SIGKILLs this process mid-burst and starts it again in `drain` mode.
 *
 * Prints, each only after the change committed:
 *   FILED <chatId> <code>      the parent's last update was handled and its case exists
 *   REPLIED <code> <eventId>   a staff reply committed (its citizen message is in the outbox)
 *   DRAINED                    drain mode: every telegram outbox row is sent or dead
 *
 * Usage: node --import tsx burst-child.ts DB_PATH API_ROOT burst|drain FIRST_CHAT COUNT
 * In drain mode the updates of chats FIRST_CHAT..+COUNT are delivered again (Telegram redelivers
 * updates that were not confirmed before the crash), then the outbox is drained.
 */
import { createTelegramChannel } from '../../../src/channels/telegram/create-bot.js';
import { parseConfig } from '../../../src/config.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { createEngine, createEngineStore } from '../../../src/core/engine/index.js';
import { loadIntents } from '../../../src/core/intents/index.js';
import { silentLogger } from '../../../src/logger.js';
import { openStore } from '../../../src/storage/open-store.js';
import { TEST_BOT_INFO, TEST_BOT_TOKEN } from '../../helpers/telegram-harness.js';
import { telegramTextUpdate } from '../../helpers/telegram-updates.js';

const [dbPath, apiRoot, mode, firstArg = '0', countArg = '100000'] = process.argv.slice(2);
if (!dbPath || !apiRoot || (mode !== 'burst' && mode !== 'drain')) throw new Error('usage: burst-child.ts DB_PATH API_ROOT burst|drain FIRST COUNT');
const first = Number(firstArg);
const count = Number(countArg);

const STEPS = ['我要投诉彩屯小学食堂每月多收伙食费两百元，没有任何公示', '不留', '确认'] as const;
const updateId = (chat: number, step: number) => chat * 10 + step;

const db = await openStore(dbPath);
const cases = createCaseDesk({ db });
const engine = createEngine({
  store: createEngineStore(db),
  knowledge: { current: () => ({ decide: () => ({ kind: 'none' as const }) }) },
  cases,
  intents: await loadIntents(),
  config: parseConfig({}),
  logger: silentLogger(),
});
const channel = createTelegramChannel({
  token: TEST_BOT_TOKEN,
  apiRoot,
  db,
  engine,
  cases,
  logger: silentLogger(),
  pacing: { perChatIntervalMs: 1, globalPerSecond: 1000 },
  outboxPollMs: 20,
});
channel.bot.botInfo = TEST_BOT_INFO;
await channel.sender.start();

const feed = (chat: number, step: number) =>
  channel.bot.handleUpdate(telegramTextUpdate({ chatId: chat, text: STEPS[step], updateId: updateId(chat, step), messageId: step + 1 }));

async function parentAndStaff(chat: number): Promise<void> {
  for (let step = 0; step < STEPS.length; step += 1) await feed(chat, step);
  const [record] = await cases.list({ channel: 'telegram', chatId: String(chat) });
  if (!record) throw new Error(`chat ${chat}: no case after 确认`);
  process.stdout.write(`FILED ${chat} ${record.code}\n`);
  await cases.act(record.code, { kind: 'claim' }, 'slack:USTAFF1');
  const { event } = await cases.act(record.code, { kind: 'reply', text: `关于${record.code}：已责令学校公示收费并退还多收的伙食费。` }, 'slack:USTAFF1');
  channel.sender.wake();
  process.stdout.write(`REPLIED ${record.code} ${event.id}\n`);
}

if (mode === 'burst') {
  let next = first;
  const worker = async () => {
    while (next < first + count) await parentAndStaff(next++);
  };
  await Promise.all(Array.from({ length: 6 }, worker));
} else {
  for (let chat = first; chat < first + count; chat += 1) for (let step = 0; step < STEPS.length; step += 1) await feed(chat, step);
  for (;;) {
    await channel.sender.drain();
    const open = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE target = 'telegram' AND state IN ('pending', 'sending')");
    if (open?.n === 0) break;
    const next = await db.get<{ at: string }>("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE target = 'telegram' AND state = 'pending'");
    if (next?.at && Date.parse(next.at) > Date.now()) await new Promise((r) => setTimeout(r, Math.min(1000, Date.parse(next.at) - Date.now())));
  }
  process.stdout.write('DRAINED\n');
}
await channel.sender.stop();
await db.close();
