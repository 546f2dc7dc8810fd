import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordingPoster } from '../../jobs/console-poster.js';
import { createJobContext } from '../../jobs/context.js';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { deadlineReminders } from '../../jobs/deadline-reminders.js';
import { monthlyReport } from '../../jobs/monthly-report.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { seedCase, tempStore } from './helpers.js';

/**
 * The jobs' posts in the language STAFF_LOCALE names, with the job context built from configuration as the
 * scheduler builds it (jobs/context.ts). The citizen's own words stay as written.
 */
const HAN = /[\u4e00-\u9fff]/;
/** Terms of the 信访 and disclosure rules that English texts keep, glossed (as the catalogue's English does). */
const GLOSSED_TERMS = /复查|复核|不参与评星/g;
const CITIZEN = '孩子转学需要什么材料？';
// Tuesday 2026-12-01 09:00 in Asia/Shanghai.
const NOW = new Date('2026-12-01T01:00:00Z');

describe('jobs and STAFF_LOCALE', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
    await seedCase(store.db, { code: 'XH-2026-000001', receivedAt: '2026-11-30T03:00:00.000Z', deadlineOn: '2026-12-14', text: CITIZEN });
    await seedCase(store.db, { code: 'XH-2026-000002', state: 'claimed', assignee: 'slack:U111', receivedAt: '2026-11-20T02:00:00.000Z', deadlineOn: '2026-12-02', text: CITIZEN });
    await seedCase(store.db, { code: 'XH-2026-000003', state: 'claimed', assignee: 'slack:U222', receivedAt: '2026-11-01T02:00:00.000Z', deadlineOn: '2026-11-25', text: CITIZEN });
  });
  afterEach(async () => store.cleanup());

  async function posts(env: Record<string, string>) {
    const poster = createRecordingPoster();
    const ctx = createJobContext({ config: parseConfig(env), db: store.db, poster, logger: silentLogger(), topGaps: async () => [] });
    await dailyDigest.run(ctx, NOW);
    await deadlineReminders.run(ctx, NOW);
    await monthlyReport.run(ctx, NOW);
    return poster.posts;
  }

  it('STAFF_LOCALE=en: the digest, the reminders and the monthly report in English', async () => {
    const all = await posts({ STAFF_LOCALE: 'en', SLACK_LEAD_USER_IDS: 'ULEAD1' });
    const texts = all.map((p) => p.text);
    expect(texts[0]).toMatch(/^📋 Daily digest 2026-12-01\n/);
    expect(texts.some((t) => t.includes('XH-2026-000002') && /due|deadline/i.test(t) && !t.includes('到期'))).toBe(true);
    expect(texts.some((t) => t.startsWith('📊 Monthly report 2026-11'))).toBe(true);
    expect(all.find((p) => p.file)?.file?.title).toBe('Cases and disclosures per month (last 12 months) 2026-11');
    for (const text of texts) expect(text.replaceAll(CITIZEN, '').replace(GLOSSED_TERMS, '')).not.toMatch(HAN);
  });

  it('by default (zh-CN, whatever DEFAULT_LOCALE parents get) the same posts are in Chinese', async () => {
    const texts = (await posts({ DEFAULT_LOCALE: 'en', SLACK_LEAD_USER_IDS: 'ULEAD1' })).map((p) => p.text);
    expect(texts[0]).toMatch(/^📋 每日摘要 2026-12-01\n/);
    expect(texts.some((t) => t.includes('XH-2026-000002') && t.includes('到期'))).toBe(true);
    expect(texts.some((t) => t.startsWith('📊 月度报告 2026-11'))).toBe(true);
  });
});
