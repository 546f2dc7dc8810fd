import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { createCaseDesk } from '../../src/core/cases/desk.js';
import { complaint } from '../core/cases/setup.js';
import { tempStore, testContext } from './helpers.js';

/** 《信访条例》第二十二条: the digest names petitions whose written 受理告知 (15 日) is near or late and not recorded. */
describe('daily digest: 信访 受理告知 due within 3 days or late', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  it('lists unrecorded notices due by today + 3 (late ones with their days), not recorded, answered or far-off ones, nor other types', async () => {
    const clock = { now: new Date('2026-11-02T02:00:00Z') }; // Mon 2 Nov 10:00 Beijing
    const desk = createCaseDesk({ db: store.db, now: () => clock.now });
    const phone = (text: string) => complaint({ type: 'petition', channel: 'phone', chatId: null, citizenRef: null, actor: 'cli', text });
    const late = await desk.file(phone('反映某校课后服务强制收费')); // due 17 Nov
    const told = await desk.file(phone('反映某校校车超载'));
    await desk.act(told.code, { kind: 'claim', via: '电话' }, 'console');
    const chat = await desk.file(complaint({ type: 'petition', text: '反映某校食堂卫生问题' }));
    await desk.act(chat.code, { kind: 'claim' }, 'console'); // the bot's claim message is the notice
    const answered = await desk.file(phone('反映某校违规补课'));
    await desk.act(answered.code, { kind: 'claim' }, 'console');
    await desk.act(answered.code, { kind: 'reply', text: '已责令学校停止补课。', via: '书面' }, 'console');
    await desk.file(complaint({ channel: 'phone', chatId: null, citizenRef: null, actor: 'cli', text: '投诉某校乱收费' }));
    clock.now = new Date('2026-11-12T02:00:00Z');
    const soon = await desk.file(phone('反映学区划分不合理')); // due 27 Nov
    clock.now = new Date('2026-11-20T02:00:00Z');
    const far = await desk.file(phone('反映某校操场施工噪音')); // due 5 Dec
    const ctx = testContext(store.db);

    await dailyDigest.run(ctx, new Date('2026-11-24T00:30:00Z')); // Tue 24 Nov 08:30 Beijing

    const lines = ctx.poster.posts.map((p) => p.text).join('\n').split('\n');
    const head = lines.indexOf('📨 信访受理告知待记录：2 件（《信访条例》第二十二条：收到之日起15日内书面告知）');
    expect(head).toBeGreaterThan(0);
    expect(lines[head + 1]).toMatch(
      new RegExp(`^• ${late.code} .*\\[信访·电话\\] .* — 应于 2026-11-17 前告知，已超期 7 日；告知后请用认领或“受理告知”记录方式$`),
    );
    expect(lines[head + 2]).toMatch(new RegExp(`^• ${soon.code} .* — 应于 2026-11-27 前告知信访人是否受理$`));
    const section = lines.slice(head, head + 4).join('\n');
    for (const absent of [told, chat, answered, far]) expect(section).not.toContain(absent.code);
  });

  it('a day with nothing else to report still posts a due notice (not the quiet line)', async () => {
    const clock = { now: new Date('2026-11-02T02:00:00Z') };
    const desk = createCaseDesk({ db: store.db, now: () => clock.now });
    const c = await desk.file(complaint({ type: 'petition', channel: 'letter', chatId: null, citizenRef: null, actor: 'cli', text: '来信反映校服问题' }));
    const ctx = testContext(store.db);
    await dailyDigest.run(ctx, new Date('2026-11-16T00:30:00Z')); // Mon 16 Nov: due tomorrow
    const text = ctx.poster.posts.map((p) => p.text).join('\n');
    expect(text).toContain('📨 信访受理告知待记录：1 件');
    expect(text).toMatch(new RegExp(`${c.code} .* — 应于 2026-11-17 前告知信访人是否受理`));
  });
});
