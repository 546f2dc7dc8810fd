import { isAppError } from './core/errors.js';
import type { CliGroup, CliIo } from './cli/types.js';

/**
 * `npm run cli -- GROUP ...`: a thin layer over the core. Each group lives in
 * src/cli/<group>.ts and is loaded only when used, so `kb search` never opens
 * a database or reads tokens.
 */
const groups: Record<string, () => Promise<{ default: CliGroup }>> = {
  // Each group registers here: kb, db, deadline, calendar, jobs, report, disclosures, cases, registers.
  kb: () => import('./cli/kb.js'),
  db: () => import('./cli/db.js'),
  deadline: () => import('./cli/deadline.js'),
  calendar: () => import('./cli/calendar.js'),
  jobs: () => import('./cli/jobs.js'),
  report: () => import('./cli/report.js'),
  disclosures: () => import('./cli/disclosures.js'),
  cases: () => import('./cli/cases.js'),
  registers: () => import('./cli/registers.js'),
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [group, ...rest] = argv;
  const load = group ? groups[group] : undefined;
  if (!load) {
    const lines = await Promise.all(
      Object.entries(groups).map(async ([name, l]) => `  ${name.padEnd(12)} ${(await l()).default.summary}`),
    );
    io.stderr.write(
      `${group ? `Unknown command "${group}".\n` : ''}Usage: npm run cli -- <command> ...\n\nCommands:\n${lines.join('\n')}\n`,
    );
    return group ? 2 : 0;
  }
  const { default: cmd } = await load();
  if (rest.some((a) => a === '--help' || a === '-h')) {
    // Every command and subcommand answers --help itself, before any argument parsing.
    const words = rest.filter((a) => !a.startsWith('-'));
    io.stdout.write(`${cmd.help?.(words) ?? cmd.usage}\n`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (error) {
    if (isAppError(error)) {
      io.stderr.write(`${error.message}\n`);
      return error.code === 'cli_usage' ? 2 : 1;
    }
    throw error;
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '');
if (isMain) {
  runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
