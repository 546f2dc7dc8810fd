import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReply } from '../../../src/channels/telegram/render.js';
import type { Reply } from '../../../src/core/types.js';
import { freshPostgresDatabase, onPostgres } from '../../helpers/postgres.js';
import { waitFor } from './bot-instance.js';
import { startScenario, type Scenario } from './scenario.js';
import { checkRun, type RunFigures } from './verify.js';

/**
 * Issue 19, item 4: two real instances (src/main.ts as child processes) on one PostgreSQL
 * database, Telegram in webhook mode with the updates of 200 chats spread over both, one instance
 * SIGKILLed mid-burst and started again. Updates in flight at the kill are redelivered by the
 * delivery front (Telegram's retry on a missing or non-2xx answer) to whichever instance answers.
 * Each parent files a complaint (three messages: complaint, no phone, confirm); a job (the daily digest,
 * every 2 s) fires on both instances throughout.
 *
 * Runs only in the PostgreSQL run (`npm run test:pg`, which .ci/run includes).
 */
const CHATS = 200;
const FIRST_CHAT = 810_000;
export const PARENT_SCRIPT = (chat: number): string[] => [
  `我要投诉彩屯小学食堂每月多收伙食费两百元，没有任何公示（家长${chat}）`,
  '不留',
  '确认',
];

describe.skipIf(!onPostgres)('two instances on one PostgreSQL database, one SIGKILLed mid-burst', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let scenario: Scenario | undefined;
  beforeAll(async () => {
    database = await freshPostgresDatabase('kill2');
  });
  afterAll(async () => {
    await scenario?.stop();
    await database?.drop();
  });

  it('keeps every acknowledged case once, delivers every reply in order, posts each job run once', async () => {
    scenario = await startScenario({
      instances: 2,
      database: { DATABASE_URL: database.url },
      env: { DIGEST_CRON: '*/2 * * * * *' },
    });
    const s = scenario;
    const chats = Array.from({ length: CHATS }, (_c, i) => FIRST_CHAT + i);
    const total = CHATS * PARENT_SCRIPT(0).length;
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      // Kill instance a once a third of the updates were answered, then start it again at once.
      let killed: Promise<{ inFlight: { id: number; parts_sent: number }[]; deliveredAtKill: number; turnsCut: number }> | null = null;
      const onDelivered = () => {
        if (killed || s.front.deliveredCount() < total / 3) return;
        killed = (async () => {
          const deliveredAtKill = s.front.deliveredCount();
          const victim = s.instances[0]!;
          await s.kill(0);
          // What the dead process was sending: those rows' current part may reach a parent twice.
          const owner = `${victim.name}#%`;
          const { rows } = await db.query<{ id: number; parts_sent: number }>(
            "SELECT id, parts_sent FROM outbox WHERE target = 'telegram' AND state = 'sending' AND claimed_by LIKE $1",
            [owner],
          );
          // Turns the dead process was in the middle of (claims it held).
          const cut = await db.query<{ n: string }>("SELECT COUNT(*) AS n FROM processed_inbound WHERE source = 'telegram' AND handled_by LIKE $1", [owner]);
          s.restart(0);
          return { inFlight: rows, deliveredAtKill, turnsCut: Number(cut.rows[0]!.n) };
        })();
      };
      const t0 = performance.now();
      await s.converse(chats, PARENT_SCRIPT, onDelivered);
      const conversed = performance.now() - t0;
      expect(killed, 'the kill happened mid-burst').not.toBeNull();
      const kill = await killed!;
      await s.front.idle(30_000);
      await waitFor(
        'the outbox to drain',
        async () => {
          const { rows } = await db.query<{ n: string }>("SELECT COUNT(*) AS n FROM outbox WHERE target = 'telegram' AND state IN ('pending', 'sending')");
          return Number(rows[0]!.n) === 0 ? true : undefined;
        },
        30_000,
        100,
      );

      const drained = performance.now() - t0;
      const figures: RunFigures = await checkRun({ db, scenario: s, chats, script: PARENT_SCRIPT, inFlightAtKill: kill.inFlight, render: (r: Reply) => renderReply(r, 'zh') });
      process.stdout.write(`two-instance kill run: ${JSON.stringify({ ...figures, deliveredAtKill: kill.deliveredAtKill, inFlightAtKill: kill.inFlight.length, turnsCut: kill.turnsCut, redeliveries: s.front.retries, answerMs: Math.round(s.front.attempts.totalMs / s.front.attempts.count), takeovers: s.all.map((i) => i.stderr().split('took over messages').length - 1), conversedMs: Math.round(conversed), drainedMs: Math.round(drained) })}\n`);
      expect(kill.deliveredAtKill).toBeLessThan(total);
      expect(figures.lostReplies).toBe(0);
      expect(figures.reorderings).toBe(0);
      expect(figures.casesNotOnce).toEqual([]);
      // Every parent has exactly one case and was shown its number: a turn's replies are queued before its
      // conversation state is saved, so a turn cut by the kill is redone from the old state on redelivery.
      expect(figures.chatsWithoutOneCase).toBe(0);
      expect(figures.acknowledgedCases).toBe(CHATS);
      expect(figures.duplicates).toBeLessThanOrEqual(kill.inFlight.length);
      expect(figures.jobRunsPostedTwice).toBe(0);
      expect(figures.jobRunsDone).toBeGreaterThan(0);
    } finally {
      await db.end();
    }
  }, 180_000);
});
