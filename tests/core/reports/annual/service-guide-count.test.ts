import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annualCommandDeps, registerAnnualCommands } from '../../../../src/channels/slack/annual-commands.js';
import type { AnnualReport } from '../../../../src/core/reports/annual/model.js';
import { silentLogger } from '../../../../src/logger.js';
import type { Db } from '../../../../src/storage/db.js';
import { runCliCaptured } from '../../../helpers/cli.js';
import { STAFF_CHANNEL, slashCommand } from '../../../helpers/slack-payloads.js';
import { TEST_SIGNING_SECRET, postCommand } from '../../../helpers/slack-signer.js';
import { startSlackStub, type SlackStub } from '../../../helpers/slack-stub.js';
import { seedReference2018, tempStore } from './seed.js';

/**
 * One 办事指南 counter everywhere: a Chinese guide and its English translation are one guide in the
 * monthly counts (CLI job run), the annual report (CLI) and Slack `/report annual`; and Slack takes the
 * CLI's `--service-guides N` for a year whose figure is the bureau's, not today's knowledge base.
 */
const root = mkdtempSync(join(tmpdir(), 'civicdesk-guides-'));
const kbDir = join(root, 'kb');
mkdirSync(kbDir);
writeFileSync(join(kbDir, 'guide.md'), readFileSync('knowledge/service-guides/guide-teacher-certification.md'));
writeFileSync(
  join(kbDir, 'guide-en.md'),
  '---\nid: guide-teacher-certification-en\ntitle: Teacher qualification certification\ncategory: service-guide\nlang: en\nquestions: [How do I get a teacher qualification certificate]\n---\n\n## Conditions\n\nApply in spring or autumn.\n',
);
const env = { KNOWLEDGE_DIR: kbDir, DATABASE_PATH: join(root, 'c.db'), LOG_LEVEL: 'silent' };

let db: Db;
let stub: SlackStub;
let app: App;
let url: string;
const drafted: AnnualReport[] = [];
const quietBolt = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

beforeAll(async () => {
  ({ db } = await tempStore());
  await seedReference2018(db);
  stub = await startSlackStub();
  app = new App({ token: 'xoxb-test', logger: quietBolt, clientOptions: { slackApiUrl: stub.apiUrl }, receiver: new HTTPReceiver({ signingSecret: TEST_SIGNING_SECRET, port: 0, logger: quietBolt }) });
  const deps = annualCommandDeps({
    db, bureau: '本溪市溪湖区教育局', timezone: 'Asia/Shanghai', knowledgeDir: kbDir, templatesDir: join(process.cwd(), 'reports/annual'),
    staffChannel: STAFF_CHANNEL, isStaff: async (id) => id === 'USTAFF1', logger: silentLogger(),
  });
  registerAnnualCommands(app, {
    ...deps,
    // The real draft; kept so the test can read the narrative the uploaded .docx was rendered from.
    draftDocx: async (year, guides) => {
      const result = await deps.draftDocx(year, guides);
      drafted.push(result.report);
      return result;
    },
    now: () => new Date('2026-11-28T08:00:00Z'),
  });
  const server = (await app.start(0)) as Server;
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/slack/events`;
});
afterAll(async () => {
  await app.stop();
  await stub.close();
  await db.close();
});

async function slackReport(text: string): Promise<string> {
  const since = stub.calls.length;
  drafted.length = 0;
  const res = await postCommand(url, slashCommand({ command: '/report', text, user_id: 'USTAFF1', response_url: stub.responseUrl() }));
  expect((await res.json()).text).toBe('正在生成 2018 年政府信息公开工作年度报告，完成后上传到工作群。');
  await stub.waitFor('files.completeUploadExternal', undefined, { since, timeoutMs: 25_000 });
  return JSON.stringify(drafted[0]);
}

describe('办事指南: one counter, Chinese entries only', () => {
  it('the monthly counts and the annual report count a guide and its English translation once', async () => {
    const monthly = await runCliCaptured(['jobs', 'run', 'monthly-report', '--dry-run', '--at', '2026-12-01T01:00:00Z'], env);
    expect(monthly.code).toBe(0);
    expect(monthly.out).toContain('知识库办事指南：1 篇');
    const annual = await runCliCaptured(['report', 'annual', '--year', '2026'], env);
    expect(annual.out).toContain('梳理公开办事指南1项');
  });

  it('Slack /report annual counts the same way, and takes --service-guides N like the CLI', async () => {
    expect(await slackReport('annual 2018')).toContain('梳理公开办事指南1项');
    expect(await slackReport('annual 2018 --service-guides 5')).toContain('梳理公开办事指南5项');
    const res = await postCommand(url, slashCommand({ command: '/report', text: 'annual 2018 --service-guides five', user_id: 'USTAFF1' }));
    expect((await res.json()).text).toMatch(/^用法：\/report annual YYYY \[`--service-guides N`\]/);
  });
});
