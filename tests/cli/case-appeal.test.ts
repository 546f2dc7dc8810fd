import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { openStore } from '../../src/storage/open-store.js';
import { runCliCaptured } from '../helpers/cli.js';

/** `cases appeal` / `cases appeals`: a 行政复议 / 行政诉讼 against a disclosure answer, recorded against the request. */
let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCliCaptured(args, env);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'civicdesk-appeal-'));
  env = { DATABASE_PATH: join(dir, 'c.db'), KNOWLEDGE_DIR: join(dir, 'kb') };
  vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-02-10T02:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

/** A 政府信息公开申请 filed, claimed and closed (予以公开) on 2026-03-02: what an appeal is recorded against. */
async function closedDisclosureRequest(): Promise<string> {
  const db = await openStore(env.DATABASE_PATH!);
  try {
    const desk = createCaseDesk({ db });
    const c = await desk.file({ type: 'disclosure', channel: 'telegram', chatId: '9001', text: '申请公开2025年学区划分依据', actor: 'citizen', applicantType: '自然人' });
    await desk.act(c.code, { kind: 'claim' }, 'cli');
    vi.setSystemTime(new Date('2026-03-02T02:00:00Z'));
    await desk.act(c.code, { kind: 'close', note: '予以公开。', disclosureResult: '（一）予以公开' }, 'cli');
    return c.code;
  } finally {
    await db.close();
  }
}

describe('cli: cases appeal', () => {
  it('records a 行政复议 and its decision, lists them, and refuses bad input in Chinese', async () => {
    const code = await closedDisclosureRequest();
    vi.setSystemTime(new Date('2026-06-20T02:00:00Z'));
    const usage = await cli(['cases', 'appeal', code, '--filed', '2026-04-15']);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('CODE and --category are required.');
    // No appeal yet: a result alone names none, and a new one needs its date received.
    const none = await cli(['cases', 'appeal', code, '--category', '复议', '--outcome', '维持', '--decided', '2026-06-18']);
    expect(none.code).toBe(1);
    expect(none.err).toContain(`政府信息公开申请 ${code} 还没有记录行政复议：新的案件请写明收到日期`);
    const bad = await cli(['cases', 'appeal', code, '--category', '复议', '--filed', '2026-04-15', '--outcome', '驳回']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('结果只能是：维持/纠正/其他/尚未审结（现为“驳回”）。');
    expect((await cli(['cases', 'appeal', code, '--category', '复议', '--filed', '2026-04-15'])).out)
      .toBe(`${code} 已记录行政复议/行政诉讼：行政复议：收到 2026-04-15；尚未审结\n`);
    // The result, naming the appeal by nothing (the only 复议 of the request): an update, not a second appeal.
    expect((await cli(['cases', 'appeal', code, '--category', '行政复议', '--outcome', '维持', '--decided', '2026-06-18'])).out)
      .toBe(`${code} 已更新行政复议/行政诉讼记录：行政复议：收到 2026-04-15；结果维持，审结 2026-06-18\n`);
    // The same command again changes nothing: refused, nothing recorded.
    const again = await cli(['cases', 'appeal', code, '--category', '行政复议', '--outcome', '维持', '--decided', '2026-06-18']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('本次没有新的内容，未重复记录');
    const listed = (await cli(['cases', 'appeals', code])).out.split('\n');
    expect(listed[0]).toMatch(/^#(\d+) 行政复议：收到 2026-04-15；尚未审结$/);
    expect(listed[1]).toBe(`${listed[0]!.split(' ')[0]} (update) 行政复议：收到 2026-04-15；结果维持，审结 2026-06-18`);
  });

  it('prints for staff in English with STAFF_LOCALE=en, and the case history keeps the English line', async () => {
    env = { ...env, STAFF_LOCALE: 'en' };
    const code = await closedDisclosureRequest();
    vi.setSystemTime(new Date('2026-06-20T02:00:00Z'));
    const recorded = await cli(['cases', 'appeal', code, '--category', '复议', '--filed', '2026-04-15']);
    expect(recorded.out).toBe(`${code}: recorded a 行政复议/行政诉讼: 行政复议: received 2026-04-15; not yet decided (尚未审结)\n`);
    expect(recorded.out).not.toContain('已记录');
    await cli(['cases', 'appeal', code, '--category', '行政复议', '--outcome', '维持', '--decided', '2026-06-18']);
    const again = await cli(['cases', 'appeal', code, '--category', '行政复议', '--outcome', '维持', '--decided', '2026-06-18']);
    expect(again.err).toContain(`Disclosure request ${code} already has this record (行政复议: received 2026-04-15; 维持, decided 2026-06-18): nothing new`);
    const bad = await cli(['cases', 'appeal', code, '--category', '复议', '--filed', '2026-04-15', '--outcome', '驳回']);
    expect(bad.err).not.toContain('结果只能是');
    const check = await openStore(env.DATABASE_PATH!);
    try {
      const notes = (await createCaseDesk({ db: check }).history(code)).filter((e) => e.kind === 'appeal').map((e) => e.note);
      expect(notes).toEqual(['行政复议: received 2026-04-15; not yet decided (尚未审结)', 'Update: 行政复议: received 2026-04-15; 维持, decided 2026-06-18']);
    } finally {
      await check.close();
    }
  });
});
