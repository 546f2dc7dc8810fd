import { loadWorkingEnvFile } from './app/env-file.js';
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
    const usage = `Usage: npm run cli -- <command> ...\n\nCommands:\n${lines.join('\n')}\n\nEvery command and subcommand answers --help, e.g. npm run cli -- report monthly --help\n`;
    // Asked for (--help, -h, help or nothing): the usage on stdout, exit 0; a command it does not know: stderr, 2.
    if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
      io.stdout.write(usage);
      return 0;
    }
    io.stderr.write(`Unknown command "${group}".\n${usage}`);
    return 2;
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
  try {
    loadWorkingEnvFile(process.env); // the same .env as npm start, so both see one database and knowledge folder
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
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
