import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaseLinks, permalink } from '../../../src/channels/slack/case-links.js';
import { silentLogger } from '../../../src/logger.js';
import { openStore } from '../../../src/storage/open-store.js';
import { saveCaseMessage } from '../../../src/storage/slack-repo.js';
import { startSlackStub, type SlackStub } from '../../helpers/slack-stub.js';

let stub: SlackStub | undefined;
afterEach(async () => {
  await stub?.close();
});

describe('case links for digests and reminders', () => {
  it('builds Slack permalinks', () => {
    expect(permalink('https://xihu-edu.slack.com/', 'CSTAFF01', '1764300000.123456')).toBe(
      'https://xihu-edu.slack.com/archives/CSTAFF01/p1764300000123456',
    );
  });

  it('links open and recently closed cases to their staff-channel message, and nothing else', async () => {
    stub = await startSlackStub();
    stub.override('auth.test', () => ({ json: { ok: true, url: 'https://xihu-edu.slack.com/', user_id: 'UBOT', team_id: 'T1' } }), 5);
    const db = await openStore(join(mkdtempSync(join(tmpdir(), 'civicdesk-links-')), 'l.db'));
    const at = '2026-11-20T02:00:00.000Z';
    const insert = (code: string, closedAt: string | null) =>
      db.run(
        `INSERT INTO cases (code, type, channel, state, text, received_at, closed_at, created_at, updated_at)
         VALUES (?, 'complaint', 'telegram', ?, '彩屯小学乱收费', ?, ?, ?, ?)`,
        [code, closedAt ? 'closed' : 'claimed', at, closedAt, at, at],
      );
    await insert('XH-2026-000001', null);
    await insert('XH-2026-000002', '2026-10-01T00:00:00.000Z');
    await saveCaseMessage(db, { caseCode: 'XH-2026-000001', channel: 'CSTAFF01', ts: '1764300000.000100' }, new Date(at));
    await saveCaseMessage(db, { caseCode: 'XH-2026-000002', channel: 'CSTAFF01', ts: '1764300000.000200' }, new Date(at));

    const links = createCaseLinks({
      db,
      client: new webApi.WebClient('xoxb-test', { slackApiUrl: stub.apiUrl }),
      logger: silentLogger(),
      now: () => new Date('2026-11-28T00:30:00Z'),
    });
    await links.refresh();
    expect(links.link('XH-2026-000001')).toBe('https://xihu-edu.slack.com/archives/CSTAFF01/p1764300000000100');
    expect(links.link('XH-2026-000002')).toBeNull(); // closed two months ago
    expect(links.link('XH-2026-999999')).toBeNull();
    links.stop();
    await db.close();
  });
});
