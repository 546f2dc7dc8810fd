import { AppError } from '../core/errors.js';
import type { CliGroup, CliIo } from './types.js';

/**
 * `npm run cli -- kb <subcommand>`: knowledge-base tools. Subcommands live in
 * src/cli/kb-<name>.ts and are loaded on use; add a row to `subcommands` to
 * add one (e.g. `gaps`, `stats`).
 */
export interface KbSubcommand {
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const subcommands: Record<string, { usage: string; load: () => Promise<{ default: KbSubcommand }> }> = {
  search: { usage: 'kb search [TEXT] [--knowledge DIR] [--json]   (TEXT, or one message per line on stdin)', load: () => import('./kb-search.js') },
  check: { usage: 'kb check [--knowledge DIR]', load: () => import('./kb-check.js') },
  eval: { usage: 'kb eval FILE.jsonl [--knowledge DIR] [--json]', load: () => import('./kb-eval.js') },
  gaps: {
    usage: 'kb gaps [--days N] [--format text|csv]   |   kb gaps mark KEY ignored|resolved|open [--entry ID]',
    load: () => import('./kb-gaps.js'),
  },
  stats: { usage: 'kb stats [--days N] [--format text|csv]', load: () => import('./kb-stats.js') },
  teach: { usage: 'kb teach "MESSAGE" ENTRY_ID   |   kb teach --key GAP_KEY ENTRY_ID   (adds it to the entry\'s questions)', load: () => import('./kb-teach.js') },
};

const usage = `Usage: npm run cli -- kb <subcommand>\n\n${Object.values(subcommands)
  .map((s) => `  ${s.usage}`)
  .join('\n')}\n`;

const kb: CliGroup = {
  summary: 'knowledge base: search, check, eval, gaps, stats, teach',
  usage,
  help: ([name]) => {
    const sub = name ? subcommands[name] : undefined;
    return sub ? `Usage: npm run cli -- ${sub.usage}` : undefined;
  },
  async run(args, io) {
    const [name, ...rest] = args;
    const sub = name ? subcommands[name] : undefined;
    if (!sub) {
      if (!name || name === '--help' || name === 'help') {
        (name ? io.stdout : io.stderr).write(usage);
        return name ? 0 : 2;
      }
      throw new AppError('cli_usage', `Unknown kb subcommand "${name}".\n${usage}`);
    }
    return (await sub.load()).default.run(rest, io);
  },
};

export default kb;
