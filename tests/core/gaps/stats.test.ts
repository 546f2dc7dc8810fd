import { describe, expect, it } from 'vitest';
import { renderStatsText } from '../../../src/core/gaps/render.js';
import { knowledgeStats, type EntryInfo } from '../../../src/core/gaps/stats.js';

const entries: EntryInfo[] = [
  { id: 'enrollment-age', title: '小学一年级入学年龄要求', updated: '2026-04-20', reviewBy: '2027-03-31', sections: ['年龄规定', '超龄儿童入学'] },
  { id: 'guide-diploma-certificate', title: '办事指南：毕业证书遗失补办学历证明', updated: '2025-02-20', reviewBy: '2026-02-28', sections: ['受理条件'] },
  { id: 'faq-school-calendar', title: '中小学校历', updated: null, reviewBy: null, sections: [] },
];
const now = new Date('2026-11-28T12:00:00.000Z');

describe('knowledgeStats', () => {
  const stats = knowledgeStats(
    entries,
    [
      { entryId: 'enrollment-age', section: '年龄规定', served: 12, helpful: 5, notHelpful: 1, lastServedAt: '2026-11-27T00:00:00.000Z' },
      { entryId: 'enrollment-age', section: '超龄儿童入学', served: 3, helpful: 0, notHelpful: 2, lastServedAt: '2026-11-20T00:00:00.000Z' },
      { entryId: 'retired-entry', section: null, served: 1, helpful: 0, notHelpful: 0, lastServedAt: '2026-11-02T00:00:00.000Z' },
    ],
    new Map([
      ['enrollment-age', '2026-11-27T00:00:00.000Z'],
      ['guide-diploma-certificate', '2026-06-01T00:00:00.000Z'],
    ]),
    { today: '2026-11-28', now },
  );

  it('sums entries and sections, with the helpful share', () => {
    const age = stats.entries[0]!;
    expect(age).toMatchObject({ id: 'enrollment-age', served: 15, helpful: 5, notHelpful: 3, helpfulShare: 5 / 8, pastReview: false, unused: false });
    expect(age.sectionStats.map((s) => [s.section, s.served])).toEqual([
      ['年龄规定', 12],
      ['超龄儿童入学', 3],
    ]);
    expect(stats.totals).toEqual({ served: 16, helpful: 5, notHelpful: 3 });
  });

  it('flags entries past review_by and entries not served in 90 days', () => {
    const diploma = stats.entries.find((e) => e.id === 'guide-diploma-certificate')!;
    expect(diploma).toMatchObject({ pastReview: true, unused: true, helpfulShare: null, lastServedAt: '2026-06-01T00:00:00.000Z' });
    expect(stats.entries.find((e) => e.id === 'faq-school-calendar')).toMatchObject({ pastReview: false, unused: true, lastServedAt: null });
    expect(stats.orphans.map((o) => o.entryId)).toEqual(['retired-entry']);
  });

  it('renders a table an admin can read', () => {
    const text = renderStatsText(stats, 30);
    expect(text).toContain('Knowledge answers, last 30 days: 16 served, 5 helpful, 3 not helpful.');
    expect(text).toContain('    15   5   3      63%  2026-11-27   2026-04-20  enrollment-age 小学一年级入学年龄要求');
    expect(text).toContain('↳ 年龄规定');
    expect(text).toContain('Past review_by (1): guide-diploma-certificate');
    expect(text).toContain('Not served in 90 days (2): faq-school-calendar, guide-diploma-certificate');
    expect(text).toContain('entries no longer in the knowledge base: retired-entry');
  });
});

describe('knowledgeStats judges "unused" only over a window it has seen (issue 15, item 8)', () => {
  const judge = (loggingSince: string | null, list: EntryInfo[] = entries) =>
    knowledgeStats(list, [], new Map(), { today: '2026-11-28', now, loggingSince }).entries.filter((e) => e.unused).map((e) => e.id);

  it('flags nothing on a new database (no log, or a log younger than the window)', () => {
    expect(judge(null)).toEqual([]);
    expect(judge('2026-11-01T00:00:00.000Z')).toEqual([]);
  });

  it('flags old entries once the log covers the window, but not an entry updated inside it', () => {
    const fresh: EntryInfo = { id: 'new-entry', title: '新条目', updated: '2026-11-10', reviewBy: null, sections: [] };
    expect(judge('2026-01-01T00:00:00.000Z', [...entries, fresh])).toEqual(['enrollment-age', 'faq-school-calendar', 'guide-diploma-certificate']);
  });
});
