import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkCalendar } from '../../src/core/calendar/index.js';
import { calendarStatus } from '../../src/core/calendar/status.js';
import { gapOf } from '../../src/app/calendar-notice.js';
import { opsRoutes, type ChannelStatus } from '../../src/ops/http-routes.js';
import { startHttpServer } from '../../src/ops/http-server.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { openDb, type Db } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function serve(
  knowledgeEntries: number,
  channels: Record<string, ChannelStatus>,
  calendarGap?: () => string | null,
  channelProblems?: () => Record<string, string | null>,
) {
  const db: Db = await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-ops-')), 'ops.db'));
  await migrate(db);
  const server = await startHttpServer(
    0,
    opsRoutes({ db, metrics: createMetrics(db), knowledgeEntries: () => knowledgeEntries, channels: () => channels, calendarGap, channelProblems }),
    '127.0.0.1',
  );
  cleanups.push(async () => {
    await new Promise((r) => server.close(r));
    await db.close();
  });
  return { db, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('ops routes', () => {
  it('/healthz reports database, knowledge and channels as JSON', async () => {
    const { base } = await serve(42, { telegram: 'connected', slack: 'disabled' });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      database: 'ok',
      knowledge: { loaded: true, entries: 42 },
      channels: { telegram: 'connected', slack: 'disabled' },
      calendar: 'ok',
    });
  });

  it('/healthz is degraded but 200 while a channel cannot deliver, naming the problem; ok again once it clears', async () => {
    let slack: string | null = 'not_in_channel: invite the bot into the staff channel';
    const { base } = await serve(42, { telegram: 'connected', slack: 'connected' }, undefined, () => ({ telegram: null, slack }));
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', problems: { slack: 'not_in_channel: invite the bot into the staff channel' } });
    slack = null;
    const body = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
    expect(body.problems).toBeUndefined();
    expect(body.status).toBe('ok');
  });

  it('/healthz is degraded but 200 while a scheduled job\'s latest run failed, naming it; ok again once a retry works (review 16 #7)', async () => {
    const { db, base } = await serve(42, { slack: 'connected' });
    await db.run(
      "INSERT INTO job_runs (job, scheduled_for, started_at, finished_at, status, error) VALUES ('monthly-report', '2026-12-01T01:00:00.000Z', '2026-12-01T01:00:00.000Z', '2026-12-01T01:00:03.000Z', 'failed', 'An API error occurred: not_in_channel')",
    );
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'degraded',
      jobs: { 'monthly-report': 'run for 2026-12-01T01:00:00.000Z failed: An API error occurred: not_in_channel; tried again every 10 minutes within JOB_CATCHUP_MINUTES and at the next start' },
    });
    await db.run("UPDATE job_runs SET status = 'ok', error = NULL WHERE job = 'monthly-report'");
    const body = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
    expect(body.jobs).toBeUndefined();
    expect(body.status).toBe('ok');
  });

  it('/healthz is degraded but 200 when next year\'s holiday schedule is missing (1 December on, injected dates)', async () => {
    const upTo2026 = createWorkCalendar({ source: { years: new Set([2025, 2026]), special: () => undefined } });
    let today = '2026-11-30';
    const { base } = await serve(42, { telegram: 'connected' }, () => gapOf(calendarStatus(upTo2026, today)));
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'ok', calendar: 'ok' });
    today = '2026-12-01';
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', calendar: 'next year not published', knowledge: { loaded: true } });
  });

  it("/healthz is degraded but 200 when this year's holiday schedule is missing, on any day of the year", async () => {
    const upTo2026 = createWorkCalendar({ source: { years: new Set([2025, 2026]), special: () => undefined } });
    const { base } = await serve(42, { telegram: 'connected' }, () => gapOf(calendarStatus(upTo2026, '2027-06-05')));
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', calendar: 'this year not published' });
  });

  it('/healthz answers 503 when no knowledge is loaded, and flags a channel that is down', async () => {
    const { base } = await serve(0, { telegram: 'down' });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect((await res.json()).status).toBe('degraded');
  });

  it('/metrics exposes cases by state and the outbox depth from the database', async () => {
    const { base, db } = await serve(1, {});
    const now = new Date().toISOString();
    await db.run(
      `INSERT INTO cases (code, type, channel, state, text, received_at, created_at, updated_at)
       VALUES ('XH-2026-000001', 'complaint', 'telegram', 'received', '我要投诉', ?, ?, ?)`,
      [now, now, now],
    );
    await db.run(
      `INSERT INTO outbox (target, address, payload, next_attempt_at, created_at) VALUES ('telegram', '1', '[]', ?, ?)`,
      [now, now],
    );
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('civicdesk_cases{state="received"} 1');
    expect(text).toContain('civicdesk_outbox_depth{target="telegram"} 1');
    expect(text).toContain('civicdesk_process_resident_memory_bytes');
  });

  it('answers 404 for unknown paths', async () => {
    const { base } = await serve(1, {});
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
