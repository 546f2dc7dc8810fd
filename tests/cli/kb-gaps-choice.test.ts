import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/storage/open-store.js';
import { chat } from '../core/engine/harness.js';
import { runCliCaptured } from '../helpers/cli.js';
import { CHOICE_ENTRIES, choiceEngine, choiceEntryMarkdown } from '../helpers/choice-knowledge.js';

/**
 * `kb gaps` after parents pressed "您是不是想问" choices through the engine: a group says which entry
 * the parent chose and prints the ready `kb teach --key` command; a choice marked 👎 is no suggestion.
 */
const dir = mkdtempSync(join(tmpdir(), 'civicdesk-kbgaps-choice-'));
const env = { DATABASE_PATH: join(dir, 'test.db'), KNOWLEDGE_DIR: join(dir, 'knowledge') };
const cli = (args: string[]) => runCliCaptured(args, env);
const ASKED = new Date('2026-11-27T02:00:00Z');

// The CLI reads the wall clock: freeze Date (timers stay real) a day after the questions were asked.
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-28T02:00:00Z') });
});
afterAll(() => {
  vi.useRealTimers();
});

beforeAll(async () => {
  mkdirSync(env.KNOWLEDGE_DIR);
  for (const e of CHOICE_ENTRIES) writeFileSync(join(env.KNOWLEDGE_DIR, `${e.id}.md`), choiceEntryMarkdown(e));
  const db = await openStore(env.DATABASE_PATH);
  const engine = await choiceEngine(db, ASKED);
  // Two parents ask about 校服 and both press 校车接送安排; a third asks about 放学, presses 学生午餐收费 and marks it 👎.
  for (const id of ['p1', 'p2']) {
    const c = chat(engine, id);
    await c.press(await c.say('校服的钱什么时候交'), '校车接送安排');
  }
  const c = chat(engine, 'p3');
  await c.press(await c.press(await c.say('放学以后孩子怎么回家'), '学生午餐收费'), '没帮助');
  await db.close();
});

describe('cli: kb gaps with the parents’ choices', () => {
  it('shows the entry the parent chose with the ready teach command, and no suggestion for a choice marked 👎', async () => {
    const { code, out } = await cli(['kb', 'gaps', '--days', '30']);
    expect(code).toBe(0);
    const key = /1\. ×2 {2}校服的钱什么时候交\n {3}key ([0-9a-f]{10})/.exec(out)?.[1];
    expect(key).toBeDefined();
    expect(out).toContain(`   家长自己选了 / the parent chose: 校车接送安排 (school-bus, 2×) → npm run cli -- kb teach --key ${key} school-bus\n`);
    expect(out).toMatch(/2\. ×1 {2}放学以后孩子怎么回家\n(.*\n){2} {3}家长选过 \/ the parent chose: 学生午餐收费 \(school-meals\) but marked it 👎 \(did not help\): no suggestion\n/);
  });

  it('writes the choice to CSV', async () => {
    const rows = parse((await cli(['kb', 'gaps', '--format', 'csv'])).out, { bom: true }) as string[][];
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    expect(rows.slice(1).map((r) => [r[col('representative')], r[col('parent_chose_id')], r[col('parent_chose_helped')], r[col('parent_chose_not_helpful')]])).toEqual([
      ['校服的钱什么时候交', 'school-bus', '2', '0'],
      ['放学以后孩子怎么回家', 'school-meals', '0', '1'],
    ]);
  });

  it('files the group under the chosen entry with the printed command', async () => {
    const key = /key ([0-9a-f]{10})/.exec((await cli(['kb', 'gaps'])).out)![1]!;
    const { code, out } = await cli(['kb', 'teach', '--key', key, 'school-bus']);
    expect(code).toBe(0);
    expect(out).toContain('(questions): 校服的钱什么时候交\n');
    expect(readFileSync(join(env.KNOWLEDGE_DIR, 'school-bus.md'), 'utf8')).toContain('  - 校车接送安排\n  - 校服的钱什么时候交\n');
    const after = (await cli(['kb', 'gaps'])).out;
    expect(after).toContain('校服的钱什么时候交 [resolved by school-bus]');
    // A resolved group no longer suggests anything.
    expect(after).not.toContain('the parent chose: 校车接送安排');
  });
});
