import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPostgres } from '../helpers/postgres.js';

/**
 * A typo in KNOWLEDGE_DIR (a missing folder, a file instead of a folder) at start: the bot would know nothing and offer
 * every parent's question as a case. The start stops with one line naming the variable and what to set instead.
 * (A folder that goes missing while the bot runs keeps the live entries: tests/knowledge/service tests that.)
 */
describe.skipIf(onPostgres)('npm start with an unreadable KNOWLEDGE_DIR', () => {
  it.each([
    ['a folder that does not exist', (dir: string) => join(dir, 'knowlege')],
    ['a file, not a folder', (dir: string) => { const file = join(dir, 'entry.md'); writeFileSync(file, '# not a folder'); return file; }],
  ])('%s: exits 1 with one clear line and no stack trace', (_name, knowledgeDir) => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-kbdir-'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATABASE_PATH: join(dir, 'c.db'), LOG_FILE: join(dir, 'log.jsonl'), KNOWLEDGE_DIR: knowledgeDir(dir), TELEGRAM_BOT_TOKEN: '', SLACK_BOT_TOKEN: '', PORT: '0' },
      input: '',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const last = run.stderr.trim().split('\n').at(-1) ?? '';
    expect(last).toMatch(/^KNOWLEDGE_DIR: cannot read the knowledge folder: .*Set KNOWLEDGE_DIR to the folder of the bureau's Markdown entries \(default: knowledge\)\.$/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
