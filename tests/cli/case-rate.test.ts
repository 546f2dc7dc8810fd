import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { findRating } from '../../src/storage/cases-repo.js';
import { openStore } from '../../src/storage/open-store.js';
import { runCliCaptured } from '../helpers/cli.js';

/** `cases rate`: the rating a 民心网 / phone citizen gave, recorded from the command line with its way (review17 #15). */
let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCliCaptured(args, env);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'civicdesk-rate-'));
  env = { DATABASE_PATH: join(dir, 'c.db'), KNOWLEDGE_DIR: join(dir, 'kb') };
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-06-01T02:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

async function withDb<T>(work: (desk: ReturnType<typeof createCaseDesk>, db: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const db = await openStore(env.DATABASE_PATH!);
  try {
    return await work(createCaseDesk({ db }), db);
  } finally {
    await db.close();
  }
}

describe('cli: cases rate', () => {
  it('records a 民心网 rating given on an earlier day, refuses a day to come and a chat case, in Chinese and English', async () => {
    const code = await withDb(async (desk) => {
      const c = await desk.file({ type: 'petition', channel: 'minxin', text: '民心网反映学校强制购买校服', citizenRef: 'MX-20260601-1', actor: 'cli' });
      await desk.act(c.code, { kind: 'claim', via: '民心网' }, 'cli');
      await desk.act(c.code, { kind: 'close', note: '经调查，学校已停止统一购买校服。', via: '民心网' }, 'cli');
      return c.code;
    });
    vi.setSystemTime(new Date('2026-06-05T02:00:00Z'));

    const usage = await cli(['cases', 'rate', code, '--stars', '五']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('CODE, --stars (a number or 未评价) and --via are required.');

    const future = await cli(['cases', 'rate', code, '--stars', '5', '--via', '民心网', '--on', '2026-06-06']);
    expect(future.code).toBe(1);
    expect(future.err).toContain('评价日期 2026-06-06 不正确：请写年-月-日（如 2026-06-05），不晚于今天（2026-06-05），不早于办结日（2026-06-01）。');
    const badWay = await cli(['cases', 'rate', code, '--stars', '5', '--via', '微信']);
    expect(badWay.err).toContain('请选择评价方式：民心网/电话回访/书面/当面（现为“微信”）。');

    const done = await cli(['cases', 'rate', code, '--stars', '5', '--via', '民心网', '--on', '2026-06-03']);
    expect(done.code).toBe(0);
    expect(done.out).toBe(`Recorded the rating of ${code}: 五星级 (民心网).\n`);
    await withDb(async (desk, db) => {
      const record = (await desk.get(code))!;
      // Counted on the day it was given (Beijing midnight of 3 June), not the day it was typed in.
      expect(await findRating(db, record.id)).toMatchObject({ scale: 'minxin', value: 5, label: '五星级', via: '民心网', ratedAt: '2026-06-02T16:00:00.000Z' });
      expect((await desk.history(code)).at(-1)).toMatchObject({ kind: 'rated', actor: 'cli', via: '民心网', note: 'minxin:5 五星级' });
      const audit = await db.get<{ action: string; detail: string }>("SELECT action, detail FROM audit_log WHERE action = 'case.rate'");
      expect(JSON.parse(audit!.detail)).toMatchObject({ via: '民心网', on: '2026-06-03', label: '五星级' });

      const chat = await desk.file({ type: 'complaint', channel: 'telegram', chatId: '42', citizenRef: '42', text: '投诉乱收费', actor: 'citizen' });
      await desk.act(chat.code, { kind: 'claim' }, 'cli');
      await desk.act(chat.code, { kind: 'close', note: '已退费。' }, 'cli');
      env.CHAT_CODE = chat.code;
    });
    const chatCase = await cli(['cases', 'rate', env.CHAT_CODE!, '--stars', '5', '--via', '电话回访']);
    expect(chatCase.code).toBe(1);
    expect(chatCase.err).toContain('由家长在对话中评价');
    expect(chatCase.err).toContain("staff cannot record or change the parent's rating");
  });
});
