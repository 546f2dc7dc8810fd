import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { associations, ASSOCIATIONS_PATH, learnAssociations, NO_ASSOCIATIONS, parseAssociationModel, tableOf, type Observation } from '../../src/knowledge/associations.js';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { CORPUS, entry, writeKnowledge } from './fixtures.js';

/** An observation: a parent's message (its terms) labelled with an entry holding `key` (and `body`). */
const seen = (bureau: string, message: string[], key: string[], body: string[] = []): Observation => ({
  bureau,
  message,
  entryKey: new Set(key),
  entryAll: new Set([...key, ...body]),
  weight: 1,
});

const PARAMS = { prior: 1, minLift: 2, perTerm: 3 };

describe('learning parents’ words → entry words', () => {
  // 歇 (take a year off) stands for 休学 in two bureaus; 咋弄 is said with every kind of entry; 插班 only in one bureau.
  const observations = [
    seen('甲区', ['孩子', '歇', '一年'], ['休学', '申请']),
    seen('甲区', ['歇', '学籍', '咋弄'], ['休学', '学籍']),
    seen('乙区', ['娃', '歇', '半年'], ['休学', '复学']),
    seen('乙区', ['孩子', '插班', '咋弄'], ['转学', '申请']),
    seen('甲区', ['插班', '咋弄'], ['转学', '学籍']),
    seen('甲区', ['插班'], ['转学']),
    seen('乙区', ['咋弄', '报名'], ['报名', '材料']),
    seen('甲区', ['几号', '报名'], ['报名', '时间']),
    seen('乙区', ['咋弄'], ['入学', '材料']),
    seen('甲区', ['咋弄', '学费'], ['收费', '标准']),
  ];

  it('keeps a pair seen in two bureaus whose entries hold the word more than the base rate, with p(e | m)', () => {
    const pairs = learnAssociations(observations, PARAMS);
    const of = (m: string) => pairs.filter(([w]) => w === m).map(([, e]) => e);
    expect(of('歇')).toContain('休学');
    // (3 + 1 × 3/10) / (3 + 1): three messages, the prior at the base rate of 休学 (3 of 10)
    expect(pairs.find(([m, e]) => m === '歇' && e === '休学')![2]).toBe(0.825);
  });

  it('keeps no pair seen in one bureau only, and none for a word said with every kind of entry', () => {
    const pairs = learnAssociations(observations, PARAMS);
    // 插班 → 转学 is seen in 甲区 and 乙区; without 乙区's message it is one bureau's, and not kept.
    expect(pairs.some(([m, e]) => m === '插班' && e === '转学')).toBe(true);
    const oneBureau = learnAssociations(observations.filter((o) => !(o.bureau === '乙区' && o.message.includes('插班'))), PARAMS);
    expect(oneBureau.some(([m]) => m === '插班')).toBe(false);
    // 咋弄 is said with 休学, 转学, 报名, 入学 and 收费 entries alike: nothing lifts over its base rate twice over.
    expect(pairs.filter(([m]) => m === '咋弄').map(([, e]) => e)).not.toContain('材料');
  });

  it('is deterministic: the same pairs, in the same order, whatever order the observations come in', () => {
    const once = learnAssociations(observations, PARAMS);
    expect(learnAssociations([...observations].reverse(), PARAMS)).toEqual(once);
    expect(JSON.stringify(learnAssociations(observations, PARAMS))).toBe(JSON.stringify(once));
    const sorted = [...once].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : b[2] - a[2] || (a[1] < b[1] ? -1 : 1)));
    expect(once).toEqual(sorted);
  });

  it('never associates a word the labelled entry already holds', () => {
    const pairs = learnAssociations([seen('甲区', ['学籍', '歇'], ['学籍', '休学']), seen('乙区', ['学籍', '歇'], ['休学'], ['学籍'])], { ...PARAMS, minLift: 1 });
    expect(pairs.some(([m]) => m === '学籍')).toBe(false);
  });
});

describe('the shipped table (models/associations.json)', () => {
  it('loads, names what it was trained on, and holds a small table', () => {
    const model = parseAssociationModel(readFileSync(ASSOCIATIONS_PATH, 'utf8'));
    expect(model.trainedOn.length).toBeGreaterThanOrEqual(2);
    expect(model.pairs.length).toBeLessThan(5000);
    for (const [m, e, p] of model.pairs) {
      expect(m).not.toBe(e);
      expect(p).toBeGreaterThan(0);
    }
    const live = associations();
    expect(live.strength).toBe(model.strength);
    expect(live.table.size).toBe(model.strength > 0 ? new Set(model.pairs.map(([m]) => m)).size : 0);
  });

  it.skipIf(!existsSync('train/written'))('is what learning from train/written gives at its own hyper-parameters (npm run train:associations)', async () => {
    const { learnWithout, serialise, writtenBureaus } = await import('../../train/train-associations.js');
    const model = parseAssociationModel(readFileSync(ASSOCIATIONS_PATH, 'utf8'));
    const bureaus = await writtenBureaus();
    expect(bureaus.map((b) => b.file)).toEqual(model.trainedOn);
    const pairs = model.strength > 0 ? learnWithout(bureaus, undefined, model.minLift, model.prior) : [];
    expect(serialise({ ...model, pairs })).toBe(readFileSync(ASSOCIATIONS_PATH, 'utf8'));
    // Relearning from the written messages takes ~25 s on a quiet machine and several times that under load.
  }, 600_000);
});

describe('a parent’s word in the ranking (inline knowledge base)', () => {
  const files = {
    ...CORPUS,
    'policy/suspend.md': entry(
      'id: guide-suspension\ntitle: 学生休学复学办理\ncategory: service-guide\nquestions: [学生因病休学怎么申请]',
      '## 申请材料\n\n休学申请表、医院诊断证明。\n\n## 办理流程\n\n家长向学校提出申请，学校报教育局备案后在学籍系统办理。\n',
    ),
  };
  const learned = { table: tableOf([['歇', '休学', 0.8]]), strength: 0.5 };

  it('ranks the entry holding the associated word first, where the shared word 学籍 ranked the transfer entry', async () => {
    const kb = await loadKnowledge(writeKnowledge(files));
    const q = '孩子要歇一年 学籍怎么处理';
    expect(buildIndex(kb.entries, kb.synonyms, { associations: NO_ASSOCIATIONS }).search(q, 1)[0]!.id).toBe('guide-student-transfer');
    expect(buildIndex(kb.entries, kb.synonyms, { associations: learned }).search(q, 1)[0]!.id).toBe('guide-suspension');
  });

  it('fetches an entry through the associate of a word no entry holds', async () => {
    const kb = await loadKnowledge(writeKnowledge(files));
    const ids = (associations: typeof learned) => buildIndex(kb.entries, kb.synonyms, { associations }).search('歇一年', 10).map((h) => h.id);
    expect(ids(NO_ASSOCIATIONS)).not.toContain('guide-suspension');
    expect(ids(learned)).toContain('guide-suspension');
  });

  it('changes nothing at strength 0', async () => {
    const kb = await loadKnowledge(writeKnowledge(files));
    const q = '孩子要歇一年 学籍怎么处理';
    expect(buildIndex(kb.entries, kb.synonyms, { associations: { ...learned, strength: 0 } }).search(q, 5)).toEqual(
      buildIndex(kb.entries, kb.synonyms, { associations: NO_ASSOCIATIONS }).search(q, 5),
    );
  });
});
