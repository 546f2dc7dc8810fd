import { existsSync, readFileSync } from 'node:fs';
import { detectIntent, loadIntents } from '../src/core/intents/index.js';
import { answerModel } from '../src/knowledge/answer-model.js';
import { THRESHOLDS } from '../src/knowledge/decide.js';
import { evaluate, parseEvalFile, type EvalCase, type EvalReport, type IntentOf, type Searcher } from '../src/knowledge/evaluate.js';
import { buildIndex } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { miniSearchBigrams, miniSearchDefaults } from './kb-peers.js';
import { writtenBureaus } from '../train/written.js';
import type { BenchModule } from './run.js';

/**
 * Every labelled message set the team holds, plus the outside-written 溪湖区 set (../shared/eval, present
 * when shared/ lies beside the checkout) and the outside-like sets (OUTSIDE_LIKE), through the engine as the bot runs it (intent first, then the
 * knowledge decision) and, in the same run, through plain MiniSearch with character bigrams and with its
 * defaults. Wrong answers: answered with a wrong entry or answered when it must be declined, over all messages.
 */
const XIHU = { area: '溪湖区', city: '本溪市', province: '辽宁省' };
const DADONG = { area: '大东区', city: '沈阳市', province: '辽宁省' };
const GANJINGZI = { area: '甘井子区', city: '大连市', province: '辽宁省' };
const TIANHE = { area: '天河区', city: '广州市', province: '广东省' };
const WUHOU = { area: '武侯区', city: '成都市', province: '四川省' };
const JINSHUI = { area: '金水区', city: '郑州市', province: '河南省' };
/**
 * Training data written in parents' own voice (train/written/<bureau>.jsonl, written without running the engine on
 * it; train/written/bureaus.json names each bureau's area and knowledge base): measured here as it is (a second
 * outside-like figure), and trained on by the association table (train/train-associations.ts) and the answer model
 * (bench/train-decision.ts).
 */
export const WRITTEN = writtenBureaus().map((b) => ({
  bureau: b.bureau,
  name: `${b.area} written`,
  dir: b.knowledge,
  home: { area: b.area, city: b.city, province: b.province },
  file: b.file,
  own: true as const,
}));

/**
 * The written long citizen narratives (train/written/narratives/<bureau>.jsonl): 问政-style petitions and knowledge
 * questions told as family stories. Not in KB_SETS: the answer model is not trained on them; bench/train-decision.ts
 * `collectRows` reads their knowledge questions when asked by name, to report the answer model on long stories held
 * out by bureau (issue 14, long18).
 */
export const NARRATIVES = writtenBureaus().map((b) => ({
  bureau: b.bureau,
  name: `${b.area} narratives`,
  dir: b.knowledge,
  home: { area: b.area, city: b.city, province: b.province },
  file: `train/written/narratives/${b.bureau}.jsonl`,
  own: true as const,
}));

/** Each set with the knowledge base it is about and that bureau's area. */
export const KB_SETS = [
  { name: '溪湖区 dev', dir: 'knowledge', home: XIHU, file: 'bench/devset.jsonl', own: true },
  { name: '溪湖区 fresh', dir: 'knowledge', home: XIHU, file: 'bench/kb-fresh-xihu.jsonl', own: true },
  { name: '溪湖区 English', dir: 'knowledge', home: XIHU, file: 'bench/kb-english-xihu.jsonl', own: true },
  { name: '大东区 dev', dir: 'bench/other-bureau/knowledge', home: DADONG, file: 'bench/other-bureau/devset.jsonl', own: true },
  { name: '大东区 fresh', dir: 'bench/other-bureau/knowledge', home: DADONG, file: 'bench/kb-fresh-dadong.jsonl', own: true },
  { name: '甘井子区 dev', dir: 'bench/third-bureau/knowledge', home: GANJINGZI, file: 'bench/third-bureau/devset.jsonl', own: true },
  { name: '甘井子区 fresh', dir: 'bench/third-bureau/knowledge', home: GANJINGZI, file: 'bench/kb-fresh-third.jsonl', own: true },
  { name: '天河区 dev', dir: 'bench/fourth-bureau/knowledge', home: TIANHE, file: 'bench/fourth-bureau/devset.jsonl', own: true },
  { name: '天河区 fresh', dir: 'bench/fourth-bureau/knowledge', home: TIANHE, file: 'bench/fourth-bureau/fresh.jsonl', own: true },
  { name: '武侯区 (new)', dir: 'bench/wuhou-bureau/knowledge', home: WUHOU, file: 'bench/wuhou-bureau/messages.jsonl', own: true },
  { name: '金水区 (new)', dir: 'bench/jinshui-bureau/knowledge', home: JINSHUI, file: 'bench/jinshui-bureau/messages.jsonl', own: true },
  // Long messages (context, then the question; issue 14): reported, never trained on (not in TRAIN).
  { name: '武侯区 long', dir: 'bench/wuhou-bureau/knowledge', home: WUHOU, file: 'bench/wuhou-bureau/long.jsonl', own: true },
  { name: '金水区 long', dir: 'bench/jinshui-bureau/knowledge', home: JINSHUI, file: 'bench/jinshui-bureau/long.jsonl', own: true },
  { name: '天河区 long', dir: 'bench/fourth-bureau/knowledge', home: TIANHE, file: 'bench/fourth-bureau/long.jsonl', own: true },
  { name: 'outside 溪湖区', dir: '../shared/eval/outside-xihu/kb', home: XIHU, file: '../shared/eval/outside-xihu/questions.jsonl', own: false },
  // Written (training): reported, and trained on by the association table and the answer model.
  ...WRITTEN.map(({ name, dir, home, file, own }) => ({ name, dir, home, file, own })),
] as const;

/**
 * Outside-like evaluation sets (bench/gulou-bureau, bench/shinan-bureau, bench/haishu-bureau, bench/shushan-bureau: written by helper sessions on knowledge bases of
 * their own before the engine was run on them; see their READMEs). Measured in the kb-sets rows, never in KB_SETS:
 * the training scripts read KB_SETS (bench/train-decision.ts collectRows, bench/train-clauses.ts), and these sets must
 * never be trained or tuned on.
 */
export const OUTSIDE_LIKE = [
  { name: '鼓楼区 (outside-like)', dir: 'bench/gulou-bureau/knowledge', home: { area: '鼓楼区', city: '南京市', province: '江苏省' }, file: 'bench/gulou-bureau/messages.jsonl', own: false },
  { name: '市南区 (outside-like)', dir: 'bench/shinan-bureau/knowledge', home: { area: '市南区', city: '青岛市', province: '山东省' }, file: 'bench/shinan-bureau/messages.jsonl', own: false },
  { name: '海曙区 (outside-like)', dir: 'bench/haishu-bureau/knowledge', home: { area: '海曙区', city: '宁波市', province: '浙江省' }, file: 'bench/haishu-bureau/messages.jsonl', own: false },
  { name: '蜀山区 (outside-like)', dir: 'bench/shushan-bureau/knowledge', home: { area: '蜀山区', city: '合肥市', province: '安徽省' }, file: 'bench/shushan-bureau/messages.jsonl', own: false },
  { name: '海曙区 问政 posts (outside-like)', dir: 'bench/haishu-bureau/knowledge', home: { area: '海曙区', city: '宁波市', province: '浙江省' }, file: 'bench/haishu-bureau/posts.jsonl', own: false },
] as const;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const frac = (x: { right: number; total: number }) => (x.total === 0 ? '—' : (x.right / x.total).toFixed(3));

function latencies(searcher: Searcher, cases: readonly EvalCase[]): number[] {
  for (const c of cases) searcher.decide(c.q);
  return [...cases, ...cases].map((c) => {
    const t = performance.now();
    searcher.decide(c.q);
    return performance.now() - t;
  });
}

export function reportRow(set: string, engine: string, r: EvalReport, lat?: number[]): string {
  const cells = [r.hit1, r.hit3, r.mrr].map((x) => x.toFixed(3));
  const timing = lat ? `${pct(lat, 50).toFixed(3)} | ${pct(lat, 99).toFixed(3)}` : '— | —';
  return `| ${set} | ${engine} | ${r.total} | ${cells.join(' | ')} | ${r.decisionsRight.toFixed(3)} | ${(r.wrongAnswerRate * 100).toFixed(1)} % | ${frac(r.intents)} | ${frac(r.sections)} | ${r.suggestions.right}/${r.suggestions.total} | ${frac(r.seen)} (${r.seen.right}/${r.seen.total}) | ${r.answerable === 0 ? '—' : r.answeredRight.toFixed(3)} | ${frac({ right: r.declinesShown.shown, total: r.declinesShown.total })} (${r.declinesShown.shown}/${r.declinesShown.total}) | ${timing} |`;
}

export const HEADER = [
  '| set | engine | messages | hit@1 | hit@3 | MRR | decisions right | wrong answers | intent | section | 您是不是想问 holds it | sees the right entry | answered right | must-decline shown choices | p50 ms | p99 ms |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];

export async function intentOf(): Promise<IntentOf> {
  const set = await loadIntents();
  return (text) => detectIntent(set, text).intent;
}

const kbSets: BenchModule = {
  summary: 'every labelled set: CivicDesk vs MiniSearch + bigrams vs MiniSearch defaults (hit@k, decisions, wrong answers, intent, section)',
  async run(print) {
    const detect = await intentOf();
    // KB_SETS_ONLY=written (a part of the set names, comma-separated) measures only those sets.
    const only = process.env.KB_SETS_ONLY?.split(',').filter(Boolean);
    print(HEADER.join('\n'));
    for (const set of [...KB_SETS, ...OUTSIDE_LIKE]) {
      if (only && !only.some((part) => set.name.includes(part))) continue;
      if (set.name === WRITTEN[0]?.name) print('| **written (training)** | | | | | | | | | | | | | | | |');
      if (set.name === OUTSIDE_LIKE[0].name) print('| **outside-like (evaluation only)** | | | | | | | | | | | | | | | |');
      if (!existsSync(set.file)) {
        print(`| ${set.name} | (${set.file} not found, skipped) |`);
        continue;
      }
      const kb = await loadKnowledge(set.dir);
      const cases = parseEvalFile(readFileSync(set.file, 'utf8'), set.file);
      const index = buildIndex(kb.entries, kb.synonyms, { jurisdiction: createJurisdiction(set.home) });
      print(reportRow(set.name, '**CivicDesk**', evaluate(index, cases, detect), latencies(index, cases)));
      // The same engine with the suggest floor at the ranking's answer bar, as before it was learned (issue 14, s14).
      const before = buildIndex(kb.entries, kb.synonyms, { jurisdiction: createJurisdiction(set.home), answerModel: { ...answerModel(), suggestFrom: THRESHOLDS.answer } });
      print(reportRow(set.name, `CivicDesk, floor ${THRESHOLDS.answer}`, evaluate(before, cases, detect)));
      print(reportRow(set.name, 'MiniSearch + bigrams', evaluate(miniSearchBigrams(kb.entries), cases, detect)));
      print(reportRow(set.name, 'MiniSearch defaults', evaluate(miniSearchDefaults(kb.entries), cases, detect)));
    }
  },
};

export default kbSets;
