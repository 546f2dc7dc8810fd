import { existsSync, readFileSync } from 'node:fs';
import { evaluate, parseEvalFile, type EvalCase, type EvalReport, type Searcher } from '../src/knowledge/evaluate.js';
import { buildIndex } from '../src/knowledge/index.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { generateEntries } from './generate-entries.js';
import type { TokenizerMode } from '../src/knowledge/tokenize.js';
import { miniSearchDefaults, nlpJs } from './kb-peers.js';
import type { BenchModule } from './run.js';

/**
 * Knowledge-base engine vs MiniSearch defaults vs NLP.js on each dev set
 * (the reference bureau's and an independent bureau's), the tokenizer
 * comparison, and scale: build time and p99 on a generated 10,000-entry base.
 */
const SETS = [
  { name: '溪湖区 (knowledge/, bench/devset.jsonl)', dir: 'knowledge', file: 'bench/devset.jsonl' },
  { name: 'other bureau (bench/other-bureau/)', dir: 'bench/other-bureau/knowledge', file: 'bench/other-bureau/devset.jsonl' },
  { name: 'third bureau (bench/third-bureau/)', dir: 'bench/third-bureau/knowledge', file: 'bench/third-bureau/devset.jsonl' },
  { name: 'fourth bureau (bench/fourth-bureau/)', dir: 'bench/fourth-bureau/knowledge', file: 'bench/fourth-bureau/devset.jsonl' },
];
const MODES: TokenizerMode[] = ['jieba', 'jieba+bigram', 'segmenter', 'bigram'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const ms = (n: number) => n.toFixed(n < 10 ? 3 : 1);

/** Per-message latency of `decide`, after one warm-up pass, over three passes. */
function timed(searcher: Searcher, cases: readonly EvalCase[]): number[] {
  for (const c of cases) searcher.decide(c.q);
  return [...cases, ...cases, ...cases].map((c) => {
    const t = performance.now();
    searcher.decide(c.q);
    return performance.now() - t;
  });
}

function row(name: string, r: EvalReport, lat: number[]): string {
  return `| ${name} | ${r.hit1.toFixed(3)} | ${r.hit3.toFixed(3)} | ${r.mrr.toFixed(3)} | ${r.refusals.right}/${r.refusals.total} | ${r.decisionsRight.toFixed(3)} | ${ms(pct(lat, 50))} | ${ms(pct(lat, 99))} |`;
}

export { generateEntries } from './generate-entries.js';

async function runSet(set: (typeof SETS)[number], print: (l: string) => void): Promise<void> {
  if (!existsSync(set.file)) return print(`(${set.name}: ${set.file} not found, skipped)\n`);
  const kb = await loadKnowledge(set.dir);
  const cases = parseEvalFile(readFileSync(set.file, 'utf8'), set.file);
  const answerable = cases.filter((c) => c.expect !== null).length;
  print(`### ${set.name}: ${kb.entries.length} entries, ${cases.length} messages (${answerable} answerable, ${cases.length - answerable} to refuse)\n`);
  print('| engine | hit@1 | hit@3 | MRR | correct refusals | decisions right | p50 ms | p99 ms |');
  print('|---|---|---|---|---|---|---|---|');
  for (const mode of MODES) {
    const index = buildIndex(kb.entries, kb.synonyms, { mode });
    const label = mode === 'jieba' ? '**CivicDesk (jieba + lexicon, default)**' : `CivicDesk, tokenizer ${mode}`;
    print(row(label, evaluate(index, cases), timed(index, cases)));
  }
  const mini = miniSearchDefaults(kb.entries);
  print(row('MiniSearch defaults', evaluate(mini, cases), timed(mini, cases)));
  const nlp = await nlpJs(kb.entries, cases.map((c) => c.q));
  print(row(`NLP.js zh (train ${ms(nlp.trainMs)} ms)`, evaluate(nlp.searcher, cases), nlp.latencies));
  print('');
}

async function runScale(print: (l: string) => void): Promise<void> {
  const kb = await loadKnowledge('knowledge');
  const cases = existsSync('bench/devset.jsonl') ? parseEvalFile(readFileSync('bench/devset.jsonl', 'utf8'), 'devset') : [];
  if (kb.entries.length === 0 || cases.length === 0) return print('(scale: no knowledge/ or dev set, skipped)');
  buildIndex(kb.entries.slice(0, 2), kb.synonyms).search('预热'); // load jieba, IDF table, OpenCC once
  print('| knowledge base | build ms | p50 ms | p99 ms | max ms |');
  print('|---|---|---|---|---|');
  for (const n of [kb.entries.length, 1000, 10_000]) {
    const entries = n === kb.entries.length ? kb.entries : generateEntries(kb.entries, n);
    const t = performance.now();
    const index = buildIndex(entries, kb.synonyms);
    const build = performance.now() - t;
    const lat = timed(index, cases);
    print(`| ${n} entries | ${ms(build)} | ${ms(pct(lat, 50))} | ${ms(pct(lat, 99))} | ${ms(Math.max(...lat))} |`);
  }
}

const kbBench: BenchModule = {
  summary: 'knowledge-base answers: CivicDesk vs MiniSearch defaults vs NLP.js; tokenizers; scale',
  async run(print) {
    for (const set of SETS) await runSet(set, print);
    print('### Scale (generated entries, dev-set messages)\n');
    await runScale(print);
  },
};

export default kbBench;
