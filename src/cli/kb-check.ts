import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, parseEvalFile } from '../knowledge/evaluate.js';
import { buildIndex } from '../knowledge/index.js';
import { loadKnowledge } from '../knowledge/loader.js';
import { formatProblem } from '../knowledge/schema.js';
import { jurisdictionFrom, parseKbArgs } from './kb-args.js';
import { formatReport } from './kb-eval.js';
import type { KbSubcommand } from './kb.js';

/**
 * `kb check`: every problem at once as `path:line: message` (errors), then
 * `path:line: warning: message`; exit 1 on any error. Runs
 * `<dir>/_eval.jsonl` through the engine when it exists.
 */
const check: KbSubcommand = {
  summary: 'validate every knowledge file',
  async run(args, io) {
    const opts = parseKbArgs(args, io.env);
    const kb = await loadKnowledge(opts.knowledge);
    for (const p of kb.problems) io.stdout.write(`${formatProblem(p)}\n`);
    for (const w of kb.warnings) io.stdout.write(`${formatProblem({ ...w, message: `warning: ${w.message}` })}\n`);
    const evalPath = join(opts.knowledge, '_eval.jsonl');
    if (existsSync(evalPath)) {
      try {
        const report = evaluate(buildIndex(kb.entries, kb.synonyms, { jurisdiction: jurisdictionFrom(io.env) }), parseEvalFile(readFileSync(evalPath, 'utf8'), evalPath));
        io.stdout.write(formatReport(report, evalPath));
      } catch (error) {
        io.stdout.write(`${(error as Error).message}\n`);
        return 1;
      }
    }
    const skipped = kb.skipped.length > 0 ? `, skipped ${kb.skipped.length} file(s)` : '';
    io.stdout.write(
      `${kb.entries.length} entries loaded, ${kb.problems.length} error(s), ${kb.warnings.length} warning(s)${skipped}\n`,
    );
    return kb.problems.length > 0 ? 1 : 0;
  },
};

export default check;
