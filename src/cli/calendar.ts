import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeNoticeToOverrides } from '../core/calendar/import.js';
import { parseHolidayNotice } from '../core/calendar/notice.js';
import { AppError } from '../core/errors.js';
import type { CliGroup, CliIo } from './types.js';

const usage = `Usage: npm run cli -- calendar import FILE|- [--dry-run] [--json] [--year YYYY] [--overrides FILE]
  Reads the text of 《国务院办公厅关于20XX年部分节假日安排的通知》 (FILE, or - for stdin), checks it
  (day counts, weekdays, 上班 days on weekends outside every block, no overlap) and writes the year
  into rules/calendar-overrides.yaml, with the days it fixes in December of the year before. --dry-run writes nothing; --json prints
  {"year", "holidays": [every rest day], "workdays": [make-up working days]}.
  Restart the bot (or send SIGHUP) afterwards so the desk uses the new year.`;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function readNotice(file: string, io: CliIo): Promise<string> {
  if (file === '-') return readAll(io.stdin);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('cli_usage', `Cannot read ${file}: ${(error as Error).message}`);
  }
}

const group: CliGroup = {
  summary: 'calendar import: add a year from the State Council holiday notice',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub !== 'import') throw new AppError('cli_usage', sub ? `Unknown calendar command "${sub}".\n${usage}` : usage);
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, year: { type: 'string' }, overrides: { type: 'string' } },
      });
    } catch (error) {
      throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
    }
    const [file] = parsed.positionals;
    if (!file || parsed.positionals.length > 1) throw new AppError('cli_usage', `Give one notice file (or - for stdin).\n${usage}`);
    const year = parsed.values.year;
    if (year !== undefined && !/^\d{4}$/.test(year)) throw new AppError('cli_usage', `--year must be four digits (got "${year}").`);
    const notice = parseHolidayNotice(await readNotice(file, io), { year: year ? Number(year) : undefined });
    if (parsed.values.json) io.stdout.write(`${JSON.stringify({ year: notice.year, holidays: notice.holidays, workdays: notice.workdays })}\n`);
    else
      io.stdout.write(
        `${notice.year}: ${notice.holidays.length} rest days in ${notice.blocks.length} blocks, ${notice.workdays.length} make-up working days (${notice.source})\n` +
          notice.blocks.map((b) => `  ${b.name}: ${b.days[0]} – ${b.days.at(-1)} (${b.days.length})${b.workdays.length ? `; 上班 ${b.workdays.join(', ')}` : ''}\n`).join(''),
      );
    if (parsed.values['dry-run']) return 0;
    const result = writeNoticeToOverrides(notice, parsed.values.overrides);
    io.stderr.write(`${result.replaced ? 'Replaced' : 'Added'} ${result.year} in ${result.path}.\n`);
    if (result.previousDecember.length > 0)
      io.stderr.write(
        `Kept with the ${result.year} notice, which fixes these days of December ${result.year - 1} (deadlines count them): ${result.previousDecember.join(', ')}\n`,
      );
    if (result.otherYears.length > 0)
      io.stderr.write(`Not written (they belong to another year's notice): ${result.otherYears.join(', ')}\n`);
    return 0;
  },
};

export default group;
