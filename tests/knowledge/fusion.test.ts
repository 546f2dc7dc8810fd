import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bigramTokens, createBigramOrder } from '../../src/knowledge/bigram-order.js';
import { FUSION_PATH, fusion, parseFusionModel } from '../../src/knowledge/fusion.js';
import { buildIndex, NO_FUSION } from '../../src/knowledge/index.js';
import { createJurisdiction } from '../../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';

describe('the character-bigram order', () => {
  it('cuts Han runs into overlapping pairs, keeps a lone character, Latin words and numbers whole', () => {
    expect(bigramTokens('小学报名 ABC，2026年')).toEqual(['小学', '学报', '报名', 'abc', '2026', '年']);
    expect(bigramTokens('')).toEqual([]);
  });

  it('ranks by the pairs a message shares with an entry, whatever the words were cut into', () => {
    const entry = (id: string, title: string, body: string) => ({ id, title, questions: [], tags: [], body }) as unknown as KnowledgeEntry;
    const build = createBigramOrder();
    build.add(entry('a', '教育局地址', '教育局在河西路1号。'));
    build.add(entry('b', '投诉渠道', '可拨打投诉电话。'));
    const order = build.finish();
    // 教育句 is a typo: 教育 still matches, and 地址 does; nothing of the message is in b.
    expect(order.best('教育句的地址在什么地方', 5).map((r) => r.doc)).toEqual([0]);
    expect(order.best('投诉', 5).map((r) => r.doc)).toEqual([1]);
  });
});

describe('the fusion on the 溪湖区 base', async () => {
  const kb = await loadKnowledge('knowledge');
  const options = { jurisdiction: createJurisdiction({ area: '溪湖区', city: '本溪市', province: '辽宁省' }) };
  const model = parseFusionModel(readFileSync(FUSION_PATH, 'utf8'));
  const fused = buildIndex(kb.entries, kb.synonyms, { ...options, fusion: { weight: model.weight } });
  const plain = buildIndex(kb.entries, kb.synonyms, { ...options, fusion: NO_FUSION });
  // A typo (教育句 for 教育局) and a paraphrase in parents' words (那片人多: the catchment is oversubscribed).
  const cases = [
    ['教育句的地址在什么地方', 'contact-bureau'],
    ['初中那片人多报不上怎么办', 'enrollment-junior-middle'],
  ] as const;

  it('ranks a typo and a paraphrase right where the unfused order did not', () => {
    for (const [q, id] of cases) {
      expect(fused.search(q, 1)[0]?.id, q).toBe(id);
      expect(plain.search(q, 1)[0]?.id, q).not.toBe(id);
    }
  });

  it('orders the candidates and leaves every score unchanged', () => {
    for (const [q] of cases) {
      const before = new Map(plain.orderParts(q).map((p) => [p.id, p.score]));
      const after = fused.orderParts(q);
      let shared = 0;
      for (const p of after) {
        if (!before.has(p.id)) continue; // found by the bigram order only
        expect(p.score, `${q} ${p.id}`).toBe(before.get(p.id));
        shared += 1;
      }
      expect(shared).toBe(before.size);
    }
  });

  it('is on by default with the learned weight; NO_FUSION is the unfused order', () => {
    expect(model.shipped).toBe(true);
    expect(fusion().weight).toBe(model.weight);
    expect(model.weight).toBeGreaterThan(0);
    const byDefault = buildIndex(kb.entries, kb.synonyms, options);
    for (const q of [...cases.map(([m]) => m), '小学什么时候报名', '转学需要什么手续']) {
      expect(byDefault.search(q, 5), q).toEqual(fused.search(q, 5));
      const parts = plain.orderParts(q);
      expect(parts.every((p) => p.bigram === 0)).toBe(true);
      expect(parts.map((p) => p.score)).toEqual([...parts.map((p) => p.score)].sort((a, b) => b - a));
    }
  });
});

describe('models/fusion.json', () => {
  it('is what `npm run train:fusion` gives: retraining reproduces the file byte for byte', { timeout: 600_000 }, async () => {
    const { trainFusion } = await import('../../bench/train-fusion.js');
    // Ranks every written message of the 28 bureaus once (~3 min on a quiet machine, several times that under load).
    expect(`${JSON.stringify(await trainFusion())}\n`).toBe(readFileSync(FUSION_PATH, 'utf8'));
  });
});
