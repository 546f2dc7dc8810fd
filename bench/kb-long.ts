import { readFileSync } from 'node:fs';
import { evaluate, parseEvalFile, type EvalCase } from '../src/knowledge/evaluate.js';
import { buildIndex } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { HEADER, intentOf, KB_SETS, reportRow } from './kb-sets.js';
import type { BenchModule } from './run.js';

/**
 * The long-message sets (issue 14: a parent narrates, then asks) through the engine as the bot runs it, each and
 * pooled, with every message it gets wrong (what the parent would see: answered with X, "您是不是想问", declined,
 * 另一地区). Never trained on.
 */
const LONG = KB_SETS.filter((s) => s.name.endsWith(' long'));

const kbLong: BenchModule = {
  summary: 'long messages (context, then the question): CivicDesk per set and pooled, with its wrong decisions',
  async run(print) {
    const detect = await intentOf();
    print(HEADER.join('\n'));
    const misses: string[] = [];
    const pooled = { right: 0, wrong: 0, total: 0, hit1: 0, hit3: 0, answerable: 0 };
    for (const set of LONG) {
      const kb = await loadKnowledge(set.dir);
      const cases: EvalCase[] = parseEvalFile(readFileSync(set.file, 'utf8'), set.file);
      const index = buildIndex(kb.entries, kb.synonyms, { jurisdiction: createJurisdiction(set.home) });
      const r = evaluate(index, cases, detect);
      print(reportRow(set.name, 'CivicDesk', r));
      pooled.total += r.total;
      pooled.answerable += r.answerable;
      pooled.hit1 += r.hit1 * r.answerable;
      pooled.hit3 += r.hit3 * r.answerable;
      pooled.right += r.decisionsRight * r.total;
      pooled.wrong += r.wrongAnswerRate * r.total;
      for (const c of cases) {
        const d = index.decide(c.q);
        const intent = detect(c.q);
        const got = intent !== 'kb' ? `intent ${intent}` : d.kind === 'answer' ? `answer ${d.best.id}` : d.kind === 'elsewhere' ? `elsewhere ${d.place.name}` : d.kind === 'suggest' ? `suggest ${d.alternatives.map((a) => a.entryId).join(',')}` : 'none';
        const right = c.expect.length === 0 ? !got.startsWith('answer') : got === `answer ${c.expect[0]}`;
        const first = d.results[0]?.id ?? '—';
        if (!right || (c.expect.length > 0 && first !== c.expect[0])) misses.push(`| ${set.name} | ${c.kind ?? ''} | ${c.q} | ${c.expect[0] ?? '(decline)'} | ${first} | ${got} |`);
      }
    }
    const f = (x: number, n: number) => (n === 0 ? '—' : (x / n).toFixed(3));
    print(`\npooled: ${pooled.total} messages, hit@1 ${f(pooled.hit1, pooled.answerable)}, hit@3 ${f(pooled.hit3, pooled.answerable)}, decisions right ${f(pooled.right, pooled.total)}, wrong answers ${((pooled.wrong / pooled.total) * 100).toFixed(1)} %\n`);
    print('| set | kind | message | expected | ranked first | decision |\n|---|---|---|---|---|---|');
    for (const m of misses) print(m);
  },
};

export default kbLong;
