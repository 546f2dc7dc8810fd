import { describe, expect, it } from 'vitest';
import { applyMarks, groupKey, groupQuestions } from '../../../src/core/gaps/group.js';
import { grams, dice, questionText } from '../../../src/core/gaps/similarity.js';
import type { GapItem, GapMark } from '../../../src/core/gaps/types.js';

let nextId = 1;
const item = (text: string, over: Partial<GapItem> = {}): GapItem => ({
  id: nextId++,
  text,
  reason: 'refused',
  createdAt: `2026-11-${String(10 + (nextId % 15)).padStart(2, '0')}T08:00:00.000Z`,
  entryId: null,
  ...over,
});

const HOUSE = ['户口和房子不在一起去哪上学', '户口跟房子不在一块，娃在哪念书？', '孩子户口和房子不在一起，去哪个学校上学', '戶口和房子不在一起去哪上學'];
const KINDERGARTEN = ['幼儿园怎么报名', '幼儿园报名咋报', '请问幼儿园什么时候报名呀'];
const DRIVING = ['驾照考试科目一怎么预约'];

describe('questionText', () => {
  it('maps colloquial words, drops punctuation and particles, keeps the topic', () => {
    expect(questionText('娃咋念书啊？户口薄放哪')).toBe('上学户口簿放哪');
    expect(questionText('请问，居住证办了三个月够不够报名吗')).toBe('居住证办三个月够不够报名');
    expect(questionText('孩子转学怎么办')).toBe('转学');
    expect(questionText('2020年8月30号生的今年能上一年级不')).toBe('2020年8月30号生今年能上一年级');
  });

  it('uses the injected normaliser first (traditional → simplified)', () => {
    const toSimplified = (s: string) => s.replace('戶', '户').replace('學', '学');
    expect(questionText('戶口和房子不在一起去哪上學', toSimplified)).toBe(questionText('户口和房子不在一起去哪上学'));
  });

  it('falls back to the raw text when only particles remain', () => {
    expect(questionText('吗？')).toBe('吗');
    expect(questionText('13812345678')).toBe('138****5678');
    expect(questionText('？？')).toBe('？？');
    expect(questionText('  ')).toBe('∅');
  });
});

describe('dice', () => {
  it('scores paraphrases above unrelated questions', () => {
    const g = (s: string) => grams(questionText(s));
    expect(dice(g(HOUSE[0]!), g(HOUSE[1]!))).toBeGreaterThanOrEqual(0.5);
    expect(dice(g(HOUSE[0]!), g(KINDERGARTEN[0]!))).toBeLessThan(0.2);
    expect(dice(new Set(), new Set())).toBe(0);
  });
});

describe('groupQuestions', () => {
  const toSimplified = (s: string) => s.replace(/戶/g, '户').replace(/學/g, '学');
  const items = [
    ...HOUSE.map((t) => item(t)),
    ...HOUSE.slice(0, 2).map((t) => item(t, { reason: 'not_helpful', entryId: 'enrollment-zoning' })),
    ...KINDERGARTEN.map((t) => item(t)),
    ...DRIVING.map((t) => item(t)),
  ];

  it('groups real Chinese paraphrases, largest first, with counts and reasons', () => {
    const groups = groupQuestions(items, { normalize: toSimplified });
    expect(groups.map((g) => g.count)).toEqual([6, 3, 1]);
    expect(groups[0]!.representative).toBe('户口和房子不在一起去哪上学');
    expect(groups[0]!.reasons).toEqual({ refused: 4, low_confidence: 0, not_helpful: 2 });
    expect(groups[1]!.representative).toBe('幼儿园怎么报名');
    expect(groups[2]!.representative).toBe('驾照考试科目一怎么预约');
    expect(groups.every((g) => g.status === 'open')).toBe(true);
  });

  it('asks bestMatch once per group, with the representative question', () => {
    const asked: string[] = [];
    const groups = groupQuestions(items, {
      normalize: toSimplified,
      bestMatch: (q) => (asked.push(q), q.includes('户口') ? { id: 'enrollment-house-hukou-mismatch', title: '房户不一致', score: 0.71 } : null),
    });
    expect(asked).toHaveLength(3);
    expect(groups[0]!.bestMatch).toEqual({ id: 'enrollment-house-hukou-mismatch', title: '房户不一致', score: 0.71 });
    expect(groups[1]!.bestMatch).toBeNull();
  });

  it('joins weaker paraphrases answered with the same entry', () => {
    const a = item('一年级报名要带啥材料', { reason: 'low_confidence', entryId: 'enrollment-materials-primary' });
    const b = item('一年级审核带啥东西', { reason: 'low_confidence', entryId: 'enrollment-materials-primary' });
    expect(groupQuestions([a, b])).toHaveLength(1);
    expect(groupQuestions([a, { ...b, entryId: null }])).toHaveLength(2);
  });

  it('masks phone and ID numbers in what admins see', () => {
    const [group] = groupQuestions([item('我电话13812345678 孩子转学怎么办'), item('我电话13812345678 孩子转学怎么办')]);
    expect(group!.representative).toBe('我电话138****5678 孩子转学怎么办');
    expect(group!.samples.join()).not.toContain('12345678');
  });

  it('gives the same keys for the same input in any order', () => {
    const keys = groupQuestions(items).map((g) => g.key);
    expect(groupQuestions([...items].reverse()).map((g) => g.key)).toEqual(keys);
    expect(keys[0]).toMatch(/^[0-9a-f]{10}$/);
  });
});

describe('applyMarks', () => {
  const groups = groupQuestions([item('幼儿园怎么报名'), item('幼儿园报名咋报'), item('驾照考试科目一怎么预约')]);
  const mark = (over: Partial<GapMark>): GapMark => ({
    key: 'k',
    status: 'ignored',
    entryId: null,
    resolvedAt: null,
    samples: [],
    markedBy: 'cli',
    markedAt: '2026-11-20T00:00:00.000Z',
    ...over,
  });

  it('applies a mark by key', () => {
    const out = applyMarks(groups, [mark({ key: groups[1]!.key, status: 'ignored' })]);
    expect(out.map((g) => g.status)).toEqual(['open', 'ignored']);
  });

  it('finds the group again by its stored wordings when the leading question changed', () => {
    const out = applyMarks(groups, [
      mark({ key: 'old-key', status: 'resolved', entryId: 'faq-kindergarten', resolvedAt: '2026-11-21T00:00:00.000Z', samples: ['幼儿园报名时间'] }),
    ]);
    expect(out[0]).toMatchObject({ key: 'old-key', status: 'resolved', resolvedEntryId: 'faq-kindergarten' });
    expect(out[1]!.status).toBe('open');
  });

  it('leaves groups open when no mark is similar enough', () => {
    const out = applyMarks(groups, [mark({ key: groupKey('x'), samples: ['公积金提取'] })]);
    expect(out.every((g) => g.status === 'open')).toBe(true);
  });
});

describe('groupQuestions on the dev set', () => {
  it('rarely puts questions about two different entries in one group', async () => {
    const { readFileSync } = await import('node:fs');
    const rows = readFileSync('bench/devset.jsonl', 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { q: string; expect: string | null });
    const items = rows.map((r, i) => item(r.q, { id: i + 1, createdAt: '2026-11-01T00:00:00.000Z' }));
    const groups = groupQuestions(items);
    const mixed = groups.filter((g) => new Set(g.messageIds.map((id) => rows[id - 1]!.expect).filter(Boolean)).size > 1);
    expect(mixed.length).toBeLessThanOrEqual(1);
    const house = groups.find((g) => g.representative === '户口和房子不在一起去哪上学');
    expect(house?.count).toBe(2); // with its traditional-character paraphrase 戶口跟房子不在一起怎麼辦
  });
});

describe('groupQuestions (property)', () => {
  it('puts every queued message in exactly one group', async () => {
    const fc = (await import('fast-check')).default;
    const words = ['户口', '房子', '幼儿园', '报名', '转学', '学籍', '怎么办', '娃', '吗', '？', '13812345678', '戶口'];
    const text = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 }).map((w) => w.join(''));
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), (texts) => {
        const items = texts.map((t, i) => item(t, { id: i + 1 }));
        const groups = groupQuestions(items);
        const ids = groups.flatMap((g) => g.messageIds).sort((a, b) => a - b);
        expect(ids).toEqual(items.map((i) => i.id));
        expect(groups.reduce((n, g) => n + g.count, 0)).toBe(items.length);
      }),
      { numRuns: 200 },
    );
  });
});
