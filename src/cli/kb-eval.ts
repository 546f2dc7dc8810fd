import { readFile } from 'node:fs/promises';
import { AppError } from '../core/errors.js';
import { evaluate, parseEvalFile, type EvalReport } from '../knowledge/evaluate.js';
import { buildIndex } from '../knowledge/index.js';
import { loadKnowledge } from '../knowledge/loader.js';
import { jurisdictionFrom, parseKbArgs } from './kb-args.js';
import { intentDetector } from './kb-intents.js';
import type { KbSubcommand } from './kb.js';

/**
 * `kb eval FILE.jsonl`: hit@1, hit@3, MRR, refusals, decisions right, wrong-answer rate (and intent and
 * section accuracy when the set labels them) and each miss, so a bureau can check its edits.
 */
export function formatReport(r: EvalReport, label: string): string {
  const intent = r.intents.total > 0 ? `  intent ${r.intents.right}/${r.intents.total}` : '';
  const section = r.sections.total > 0 ? `  section ${r.sections.right}/${r.sections.total}` : '';
  const suggest = r.suggestions.total > 0 ? `  您是不是想问 holds it ${r.suggestions.right}/${r.suggestions.total}` : '';
  const seen = `  sees the right entry ${r.seen.right}/${r.seen.total}  must-decline shown choices ${r.declinesShown.shown}/${r.declinesShown.total}`;
  const lines = [
    `${label}: ${r.total} messages, ${r.answerable} answerable`,
    `  hit@1 ${r.hit1}  hit@3 ${r.hit3}  MRR ${r.mrr}  refusals ${r.refusals.right}/${r.refusals.total}  decisions right ${r.decisionsRight}  wrong answers ${r.wrongAnswerRate}${intent}${section}${suggest}`,
    seen,
    ...r.misses.map((m) => {
      const expected = m.expect.length > 0 ? m.expect.join('|') : m.intent ? `(intent ${m.intent})` : '(no answer)';
      const got = m.gotIntent && m.gotIntent !== 'kb' ? `intent ${m.gotIntent}` : m.answered ? m.got : `(no answer; best ${m.got ?? '-'} ${m.score})`;
      return `  miss: ${m.q}  expected ${expected}, got ${got}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

const evalCmd: KbSubcommand = {
  summary: 'run a {"q","expect"} JSONL set through the engine',
  async run(args, io) {
    const opts = parseKbArgs(args, io.env);
    const file = opts.positional[0];
    if (!file) throw new AppError('cli_usage', 'Usage: npm run cli -- kb eval FILE.jsonl [--knowledge DIR] [--json]');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new AppError('cli_usage', `Cannot read ${file}: give a JSONL file of {"q": ..., "expect": entry-id|null} lines`);
    }
    let cases;
    try {
      cases = parseEvalFile(text, file);
    } catch (error) {
      throw new AppError('cli_usage', (error as Error).message);
    }
    const kb = await loadKnowledge(opts.knowledge);
    const report = evaluate(buildIndex(kb.entries, kb.synonyms, { jurisdiction: jurisdictionFrom(io.env) }), cases, await intentDetector(io, 'kb eval'));
    io.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatReport(report, file));
    return 0;
  },
};

export default evalCmd;
