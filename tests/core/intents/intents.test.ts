import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectIntent, loadIntents, type IntentSet } from '../../../src/core/intents/index.js';

let set: IntentSet;
beforeAll(async () => {
  set = await loadIntents();
});

describe('detectIntent on real parent messages', () => {
  it.each([
    ['你好', 'greeting'],
    ['谢谢老师', 'thanks'],
    ['你能做什么', 'help'],
    ['娃8月30号生的能上一年级吗', 'kb'],
    ['投诉一般多久答复', 'kb'],
    ['怎么举报老师有偿补课', 'kb'],
    ['我要投诉彩屯小学乱收费', 'petition'],
    ['举报某老师周末有偿补课', 'petition'],
    ['建议学校延长午休时间', 'petition'],
    ['转人工', 'human'],
    ['我的投诉处理到哪一步了', 'status'],
    ['取消', 'cancel'],
    ['删除我的数据', 'privacy'],
    ['English', 'language'],
    ['轉人工', 'human'],
    // A phone number left with the complaint is contact data, not a question about "投诉电话".
    ['我要投诉彩屯小学乱收费，电话13812345678', 'petition'],
    ['投诉电话是多少', 'kb'],
  ])('%s → %s', (text, intent) => {
    expect(detectIntent(set, text).intent).toBe(intent);
  });

  it('pre-fills the case type and reads case codes of any prefix', () => {
    expect(detectIntent(set, '我要投诉彩屯小学乱收费')).toEqual({ intent: 'petition', caseType: 'complaint' });
    expect(detectIntent(set, '我要申请政府信息公开：2025年学区划分文件')).toMatchObject({ intent: 'petition', caseType: 'disclosure' });
    expect(detectIntent(set, '转人工，我要投诉')).toEqual({ intent: 'human', caseType: 'complaint' });
    expect(detectIntent(set, 'xh-2026-000123 怎么样了')).toEqual({ intent: 'status', caseCode: 'XH-2026-000123' });
    expect(detectIntent(set, '查一下 BXJY-2026-000042')).toEqual({ intent: 'status', caseCode: 'BXJY-2026-000042' });
  });

  it('detects every example of its own intent and no counter-example', () => {
    for (const intent of set.intents) {
      for (const text of [...intent.examples.zh, ...intent.examples.en]) expect([text, detectIntent(set, text).intent]).toEqual([text, intent.name]);
      for (const text of [...intent.counterExamples.zh, ...intent.counterExamples.en])
        expect([text, detectIntent(set, text).intent]).not.toEqual([text, intent.name]);
    }
  });

  it.runIf(existsSync('bench/intents.jsonl'))('gets ≥ 0.95 of the held-out set right and answers no non-kb line', () => {
    const rows = readFileSync('bench/intents.jsonl', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { q: string; intent: string });
    const right = rows.filter((r) => detectIntent(set, r.q).intent === r.intent).length;
    expect(rows.length).toBeGreaterThanOrEqual(120);
    expect(right / rows.length).toBeGreaterThanOrEqual(0.95);
    const nonKbAsKb = rows.filter((r) => r.intent !== 'kb' && detectIntent(set, r.q).intent === 'kb');
    expect(nonKbAsKb.length / rows.length).toBeLessThanOrEqual(0.05);
  });

  it.each(['bench/devset.jsonl', 'bench/other-bureau/devset.jsonl'].filter((f) => existsSync(f)))(
    'leaves knowledge questions of %s to the knowledge base (≥ 0.98)',
    (file) => {
      const rows = readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { q: string });
      const kb = rows.filter((r) => detectIntent(set, r.q).intent === 'kb').length;
      expect(kb / rows.length).toBeGreaterThanOrEqual(0.98);
    },
  );
});

describe('loadIntents', () => {
  it('reports every bad file at once with file and path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'intents-'));
    writeFileSync(join(dir, 'a.yaml'), 'intent: greeting\npriority: 1\nexamples: { zh: [你好] }\npatterns: ["(unclosed"]\n');
    writeFileSync(join(dir, 'b.yaml'), 'intent: nonsense\npriority: 1\nexamples: {}\n');
    const error = await loadIntents(dir).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`${join(dir, 'a.yaml')}: patterns[0]: invalid regular expression`);
    expect((error as Error).message).toContain(`${join(dir, 'b.yaml')}: intent:`);
    expect((error as Error).message).toContain('no file defines intent "thanks"');
  });
});
