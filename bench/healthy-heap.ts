import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRecordingBotApi } from '../tests/faults/helpers/recording-bot-api.js';
import { STAFF_CHANNEL } from '../tests/helpers/slack-payloads.js';
import { TEST_SIGNING_SECRET } from '../tests/helpers/slack-signer.js';
import { startSlackStub } from '../tests/helpers/slack-stub.js';
import { TEST_BOT_TOKEN } from '../tests/helpers/telegram-harness.js';
import { knowledgeFolder } from './kb-files.js';
import { freePort, procMemory, smapsBreakdown, spawnBot, startCommand, stopBot, waitHealthy } from './load-bot.js';

/**
 * The bot as the load run starts it (10,000 generated entries, Telegram and Slack on), measured when healthy and
 * before any message: VmRSS, VmHWM, smaps by kind, and (HEAP_SNAPSHOT_DIR=dir) a V8 heap snapshot written by
 * `--heapsnapshot-signal=SIGUSR2` for a look at what the heap retains. Used for issue 17's memory pass.
 *
 *   npx tsx bench/healthy-heap.ts [entries]
 */
const entries = Number(process.argv[2] ?? 10_000);
const start = startCommand();
const dir = mkdtempSync(join(tmpdir(), 'bench-heap-'));
const knowledge = await knowledgeFolder(entries, join(dir, 'knowledge'));
const api = await startRecordingBotApi({ onSend: () => undefined });
const stub = await startSlackStub({ members: ['USTAFF1'] });
const port = await freePort();
const snapDir = process.env.HEAP_SNAPSHOT_DIR;
const args = snapDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapDir}`, ...start.args] : start.args;
const bot = spawnBot(args, {
  ...start.env,
  DATABASE_PATH: join(dir, 'heap.db'),
  KNOWLEDGE_DIR: knowledge.dir,
  PORT: String(port),
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  JOBS_ENABLED: 'false',
  TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
  TELEGRAM_API_ROOT: api.apiRoot,
  TELEGRAM_WEBHOOK_URL: 'https://bot.example.test/telegram/webhook',
  TELEGRAM_WEBHOOK_SECRET: 'heap-bench-secret',
  SLACK_BOT_TOKEN: 'xoxb-load-bench',
  SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
  SLACK_STAFF_CHANNEL: STAFF_CHANNEL,
  SLACK_API_URL: stub.apiUrl,
  SLACK_STAFF_USER_IDS: 'USTAFF1',
});
try {
  await waitHealthy(bot, port, ['telegram', 'slack'], 180_000);
  await new Promise((r) => setTimeout(r, 2000));
  const pid = bot.child.pid!;
  const mem = procMemory(pid)!;
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const metric = (name: string) => metrics.split('\n').filter((l) => l.startsWith(name)).join('; ');
  console.log(`command: ${bot.command}`);
  console.log(`healthy: VmRSS ${(mem.rss / 2 ** 20).toFixed(1)} MB, VmHWM ${(mem.hwm / 2 ** 20).toFixed(1)} MB`);
  console.log(`smaps: ${JSON.stringify(smapsBreakdown(pid))}`);
  console.log(metric('nodejs_heap_size_used_bytes'), '|', metric('nodejs_heap_size_total_bytes'), '|', metric('nodejs_external_memory_bytes'));
  if (snapDir) {
    const before = new Set(readdirSync(snapDir));
    bot.child.kill('SIGUSR2');
    for (let i = 0; i < 600; i++) {
      const made = readdirSync(snapDir).filter((f) => !before.has(f) && f.endsWith('.heapsnapshot'));
      if (made.length > 0 && existsSync(join(snapDir, made[0]!))) {
        await new Promise((r) => setTimeout(r, 3000));
        console.log(`snapshot: ${join(snapDir, made[0]!)}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
} finally {
  await stopBot(bot);
  await api.close?.();
  await stub.close?.();
  rmSync(dir, { recursive: true, force: true });
}
