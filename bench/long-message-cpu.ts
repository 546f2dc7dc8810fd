import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { splitClauses } from '../src/knowledge/clauses.js';
import { buildIndex } from '../src/knowledge/index.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { createAnalyzer } from '../src/knowledge/tokenize.js';

/**
 * CPU per long message: the messages of the evaluation sets (parents' wording, not ours) that clauses.ts cuts
 * into two clauses or more, against the 溪湖 knowledge base, jieba mode. Two figures: `decide()` whole, and the
 * analysis the clause path adds to it (the message analysed, then its clauses' terms: from the message's own
 * tokens where the analyzer offers `termsIn`, else by analysing the clauses again, as index.ts did before).
 * A micro-bench for changes to that path; run it on the code before and after, alternating, on the same
 * machine. Prints µs of process CPU (user + system) per message, the median of `ROUNDS` rounds.
 *
 *   npx tsx bench/long-message-cpu.ts [ROUNDS]
 */
const FILES = [
  'bench/devset.jsonl', 'bench/kb-fresh-xihu.jsonl', 'bench/intents-fresh.jsonl', 'bench/other-bureau/devset.jsonl',
  'bench/kb-fresh-dadong.jsonl', 'bench/third-bureau/devset.jsonl', 'bench/kb-fresh-third.jsonl', 'bench/fourth-bureau/devset.jsonl',
  'bench/fourth-bureau/fresh.jsonl', '../shared/eval/outside-xihu/questions.jsonl',
];

const rounds = Number(process.argv[2] ?? 15);
const kb = await loadKnowledge('knowledge');
const index = buildIndex(kb.entries, kb.synonyms);
const analyzer = createAnalyzer(kb.synonyms);
const long = FILES.filter(existsSync)
  .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { q: string }).q))
  .filter((q) => splitClauses(analyzer.normalize(q)).length >= 2);
const clauses = long.reduce((n, q) => n + splitClauses(analyzer.normalize(q)).length, 0);
const chars = long.reduce((n, q) => n + q.length, 0);

/** Median µs of CPU per message of `work` over `rounds` rounds, after one round of warm-up (JIT, caches). */
function cpuPerMessage(work: (q: string) => unknown): { median: number; min: number; max: number } {
  for (const q of long) work(q);
  const perMessage: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = process.cpuUsage();
    for (const q of long) work(q);
    const used = process.cpuUsage(before);
    perMessage.push((used.user + used.system) / long.length);
  }
  perMessage.sort((a, b) => a - b);
  return { median: perMessage[Math.floor(perMessage.length / 2)]!, min: perMessage[0]!, max: perMessage.at(-1)! };
}

type Analyzed = ReturnType<typeof analyzer.analyze> & { termsIn?: (start: number, end: number) => string[] | null };
const clauseAnalysis = (q: string) => {
  const analyzed: Analyzed = analyzer.analyze(q);
  const parts = splitClauses(analyzed.norm);
  if (parts.length < 2) return [];
  return analyzed.termsIn
    ? parts.map((c) => analyzed.termsIn!(c.start, c.start + c.text.length) ?? analyzer.terms(c.text))
    : analyzer.analyzeMany(parts.map((c) => c.text)).map((a) => a.terms);
};
const show = (what: string, r: { median: number; min: number; max: number }) =>
  `${what} ${r.median.toFixed(1)} µs (min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)})`;
const analysis = cpuPerMessage(clauseAnalysis);
const decide = cpuPerMessage((q) => index.decide(q));
console.log(
  `${long.length} long messages (${(clauses / long.length).toFixed(1)} clauses, ${(chars / long.length).toFixed(0)} characters on average), ${rounds} rounds, ` +
    `CPU per message (median): ${show('analysis with clause terms', analysis)}; ${show('decide()', decide)}; load average ${loadavg()[0]!.toFixed(2)}; ` +
    `clause terms ${(analyzer.analyze('孩子在外区上学，转学怎么办？') as Analyzed).termsIn ? 'from the message\'s tokens' : 'by a second segmentation'}`,
);
