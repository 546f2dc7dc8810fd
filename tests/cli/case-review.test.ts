import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { openStore } from '../../src/storage/open-store.js';
import { runCliCaptured } from '../helpers/cli.js';

/** `cases review` / `cases reviews`: staff log a 复查 / 复核 decision about a closed 信访 case from the command line. */
let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCliCaptured(args, env);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'civicdesk-review-'));
  env = { DATABASE_PATH: join(dir, 'c.db'), KNOWLEDGE_DIR: join(dir, 'kb'), BUREAU_SUPERIOR: '本溪市教育局' };
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-01T02:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** A letter petition answered in writing and closed on 1 Jul 2026 (Beijing), in the CLI's database. */
async function closedPetition(): Promise<string> {
  const db = await openStore(env.DATABASE_PATH!);
  try {
    const desk = createCaseDesk({ db });
    const c = await desk.file({ type: 'petition', channel: 'letter', text: '来信反映学校强制购买校服', actor: 'cli' });
    await desk.act(c.code, { kind: 'claim', via: '书面' }, 'cli');
    vi.setSystemTime(new Date('2026-07-01T02:00:00Z'));
    await desk.act(c.code, { kind: 'close', note: '经调查，学校已停止统一购买校服。', via: '书面' }, 'cli');
    return c.code;
  } finally {
    await db.close();
  }
}

describe('cli: cases review', () => {
  it('records a 复查 in time and a late 复核, lists them, and refuses bad input in Chinese and English', async () => {
    const code = await closedPetition();
    vi.setSystemTime(new Date('2026-08-12T02:00:00Z'));
    const usage = await cli(['cases', 'review', code]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('CODE and --level are required.');
    const missing = await cli(['cases', 'review', code, '--level', '复查']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('请写明复查请求日（信访人提出请求之日，如 2026-07-20）');

    const badDate = await cli(['cases', 'review', code, '--level', '复查', '--outcome', '维持', '--requested', '20260720', '--decided', '2026-08-10']);
    expect(badDate.code).toBe(1);
    expect(badDate.err).toContain('请求日期必须按“年-月-日”写成 2026-03-15 这样的日期（现为“20260720”）。');
    expect(badDate.err).toContain('The request date must be a date written YYYY-MM-DD');

    const review = await cli(['cases', 'review', code, '--level', '复查', '--outcome', '维持', '--requested', '2026-07-20', '--decided', '2026-08-10', '--note', '复查意见书已存档']);
    expect(review.err).toBe('');
    expect(review.out).toBe(
      `Recorded for ${code}: 复查（本溪市教育局）：维持；请求 2026-07-20，意见 2026-08-10，本局收到 2026-08-12；在期限内（2026-07-01起 30 日，至 2026-07-31）\n`,
    );

    vi.setSystemTime(new Date('2026-10-14T02:00:00Z'));
    const recheck = await cli(['cases', 'review', code, '--level', 'recheck', '--outcome', '撤销', '--body', '本溪市人民政府', '--requested', '2026-09-15', '--decided', '2026-10-12']);
    expect(recheck.out).toContain('逾期请求：复查意见 2026-08-10，请求期限至 2026-09-09，请求日 2026-09-15，超出 6 日');
    // 2026-10-14 + 60 = Sun 13 Dec → Mon 14 Dec.
    expect(recheck.out).toContain(`${code} is reopened, new deadline 2026-12-14`);

    const listed = await cli(['cases', 'reviews', code]);
    expect(listed.out.trim().split('\n')).toHaveLength(2);
    expect(listed.out).toContain('复核（本溪市人民政府）：撤销');
  });
});
