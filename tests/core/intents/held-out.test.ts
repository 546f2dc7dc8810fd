import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectIntent, findCaseCode, loadIntents, type IntentSet } from '../../../src/core/intents/index.js';

interface Row {
  q: string;
  intent: string;
  caseType?: string;
  expect?: string | null;
}

const readRows = (file: string): Row[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);

let set: IntentSet;
beforeAll(async () => {
  set = await loadIntents();
});

describe('bench/intents-fresh.jsonl (written before the patterns were read)', () => {
  it.runIf(existsSync('bench/intents-fresh.jsonl'))('gets ≥ 0.95 right, with the right case type, and sends no non-kb line to the knowledge base', () => {
    const rows = readRows('bench/intents-fresh.jsonl');
    expect(rows.length).toBeGreaterThanOrEqual(150);
    const detected = rows.map((r) => ({ row: r, got: detectIntent(set, r.q) }));
    const wrong = detected.filter(({ row, got }) => got.intent !== row.intent).map(({ row, got }) => `${row.q} → ${got.intent}`);
    expect(1 - wrong.length / rows.length, wrong.join('\n')).toBeGreaterThanOrEqual(0.95);
    const answered = detected.filter(({ row, got }) => row.intent !== 'kb' && got.intent === 'kb').map(({ row }) => row.q);
    expect(answered).toEqual([]);
    const typed = detected.filter(({ row, got }) => row.caseType && got.intent === row.intent);
    const typeRight = typed.filter(({ row, got }) => got.caseType === row.caseType).length;
    expect(typeRight / typed.length).toBeGreaterThanOrEqual(0.95);
  });

  it.each(['bench/devset.jsonl', 'bench/other-bureau/devset.jsonl', 'bench/third-bureau/devset.jsonl'].filter((f) => existsSync(f)))(
    'leaves the answerable knowledge questions of %s to the knowledge base (≥ 0.98)',
    (file) => {
      const rows = readRows(file).filter((r) => r.expect != null);
      const notKb = rows.filter((r) => detectIntent(set, r.q).intent !== 'kb');
      expect(1 - notKb.length / rows.length, notKb.map((r) => r.q).join('\n')).toBeGreaterThanOrEqual(0.98);
    },
  );
});

describe('general causes fixed after the fresh run', () => {
  it.each([
    // Emoji and the 妳 variant are decoration, not words.
    ['下午好 👋', 'greeting'],
    ['妳好', 'greeting'],
    ['多谢🙏🙏', 'thanks'],
    ['谢谢老师 辛苦了', 'thanks'],
    // 人工智能 / 人工湖 are not 人工; 五星级 is not a rating.
    ['人工智能兴趣班在哪报名', 'kb'],
    ['三星级幼儿园怎么评定', 'kb'],
    ['给四星吧', 'rate'],
    // A wrong told as a fact, or a demand to act, is a complaint; asked about, it is a question.
    ['班主任天天辱骂学生，家长们都很气愤', 'petition'],
    ['班主任辱骂学生违法吗', 'kb'],
    ['反映个情况：学校周六还在上课', 'petition'],
    ['希望能延长图书馆开放时间', 'petition'],
    // Asking for a person, or to be called back (the number left is contact data).
    ['叫你们领导来', 'human'],
    ['给我打个电话 13912345678', 'human'],
    ['有客服在线吗', 'human'],
    // Progress of my own case, however it is phrased.
    ['我上周的留言有人看吗', 'status'],
    ['举报了一个月了都没人回复', 'status'],
    ['举报一般多久会有人回复', 'kb'],
    ['请用中文回复我', 'language'],
  ])('%s → %s', (text, intent) => {
    expect(detectIntent(set, text).intent).toBe(intent);
  });

  it('files harm or coercion told as a fact as a complaint, and leaves the same topic asked about to the knowledge base', () => {
    for (const told of [
      '班主任让家长每人交500元买资料，不交就不让孩子上课',
      '老师打了我家孩子一巴掌',
      '孩子在学校被同学打了，老师也不管',
      '食堂饭菜里有虫子',
      '学校食堂的饭一个冬天都是凉的，孩子天天吃不饱',
      '体育老师把孩子推倒了，膝盖都破了',
    ]) {
      expect(detectIntent(set, told), told).toEqual({ intent: 'petition', caseType: 'complaint' });
    }
    for (const asked of ['学校让每人交500元合理吗', '不交资料费会不会不让上课', '孩子在学校吃不饱怎么办', '被同学欺负了怎么办', '午餐费每人交多少']) {
      expect(detectIntent(set, asked).intent, asked).toBe('kb');
    }
  });

  it('files a question the parent wants a person to answer as an inquiry, question words and all', () => {
    expect(detectIntent(set, '我要咨询一个问题 请工作人员回复我：孩子户口迁出后学籍怎么处理')).toEqual({ intent: 'petition', caseType: 'inquiry' });
    expect(detectIntent(set, '咨询个事 麻烦你们工作人员给我回个电话 13604141234')).toEqual({ intent: 'petition', caseType: 'inquiry' });
    expect(detectIntent(set, '咨询的问题工作人员一般多久回复')).toEqual({ intent: 'kb' });
  });

  it('reads case codes typed with spaces, underscores or run together, and returns them canonical', () => {
    expect(findCaseCode('XH 2026 000123 怎么样了')).toBe('XH-2026-000123');
    expect(findCaseCode('受理号xh2026000789')).toBe('XH-2026-000789');
    expect(findCaseCode('编号 MX_2025_004512')).toBe('MX-2025-004512');
    expect(findCaseCode('电话13812345678')).toBeUndefined();
    expect(detectIntent(set, 'bx 2026 000321 进度')).toEqual({ intent: 'status', caseCode: 'BX-2026-000321' });
  });
});
