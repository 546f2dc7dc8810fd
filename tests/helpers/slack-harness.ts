import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackApp, type SlackAppOptions, type SlackDesk } from '../../src/channels/slack/create-slack-app.js';
import { createCaseDesk, type CaseDeskImpl } from '../../src/core/cases/index.js';
import { silentLogger } from '../../src/logger.js';
import { openDb, type Db } from '../../src/storage/db.js';
import { migrate } from '../../src/storage/migrate.js';
import { STAFF_CHANNEL } from './slack-payloads.js';
import { TEST_SIGNING_SECRET } from './slack-signer.js';
import { startSlackStub, type SlackStub } from './slack-stub.js';

export interface SlackHarness {
  db: Db;
  desk: CaseDeskImpl;
  stub: SlackStub;
  slack: SlackDesk;
  /** Bolt's /slack/events on 127.0.0.1. */
  url: string;
  close(): Promise<void>;
}

/**
 * The real Bolt app on 127.0.0.1 (HTTP mode, port 0) over a real case desk and
 * a temp SQLite file (or the `shared` ones of another channel's stack), its
 * Web API pointed at a recording stub. Staff: USTAFF1
 * (configured) and USTAFF2 (staff-channel member); admin: UADMIN.
 */
export async function startSlackHarness(
  overrides: Partial<SlackAppOptions> = {},
  shared: { db: Db; desk: CaseDeskImpl } | null = null,
): Promise<SlackHarness> {
  const db = shared?.db ?? (await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-slack-')), 'test.db')));
  if (!shared) await migrate(db);
  const desk = shared?.desk ?? createCaseDesk({ db });
  const stub = await startSlackStub({ members: ['USTAFF2', 'UBOT'] });
  const slack = createSlackApp({
    botToken: 'xoxb-test',
    signingSecret: TEST_SIGNING_SECRET,
    apiUrl: stub.apiUrl,
    port: 0,
    db,
    desk,
    logger: silentLogger(),
    staffChannel: STAFF_CHANNEL,
    staffUserIds: ['USTAFF1'],
    adminUserIds: ['UADMIN'],
    workingDaysBetween: (a, b) => desk.calendar.workingDaysBetween(a, b),
    drainIntervalMs: 60_000, // tests drain explicitly (or through the kick after an action)
    // The bounds on a request's work (2 s before the ack, 15 s after it) run on a timer that never fires: on a loaded
    // machine a slow step would otherwise be answered "操作未完成" and the test's verdict would depend on the load.
    // The bounds themselves are tested with a timer fired by hand (hung-steps.test.ts passes its own).
    bounds: { timer: () => new Promise<void>(() => undefined) },
    ...overrides,
  });
  const port = await slack.start();
  return {
    db,
    desk,
    stub,
    slack,
    url: `http://127.0.0.1:${port}/slack/events`,
    async close() {
      await slack.stop();
      await stub.close();
      if (!shared) await db.close();
    },
  };
}
