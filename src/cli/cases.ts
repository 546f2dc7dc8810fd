import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { maskContact } from '../core/cases/contact.js';
import { maskPersonalData } from '../core/privacy/mask.js';
import { casesForExport } from '../storage/report-queries.js';
import { openStore } from '../storage/open-store.js';
import { writeCsv } from './csv-out.js';
import { identityForStaff } from '../core/cases/identity.js';
import { formatLocalDateTime } from '../core/reports/local-time.js';
import { addCase, caseAddUsage } from './case-add.js';
import { caseReviewUsage, listCaseReviews, recordCaseReview } from './case-review.js';
import { caseAppealUsage, listCaseAppeals, recordCaseAppeal } from './case-appeal.js';
import { caseRateUsage, recordCaseRating } from './case-rate.js';
import type { CliGroup, CliIo } from './types.js';
import { caseOutcomes, outcomeDayAt, type OutcomeDay } from '../storage/case-outcome.js';
import { listCases } from '../storage/cases-repo.js';
import { OPEN_STATES } from '../core/cases/transitions.js';
import { isIsoDate } from '../core/calendar/dates.js';
import { startOfLocalDay } from '../core/reports/local-time.js';

const usage = `Usage: npm run cli -- cases export [--out FILE.csv] [--on YYYY-MM-DD]
  One row per case (UTF-8 with BOM, opens in Excel). Times are the bureau's local time (TIMEZONE, named in the header).
  Phone and ID numbers (身份证明 included) are masked, names shortened to the surname; text a spreadsheet would run as a
  formula (=, +, -, @ first) is written with a leading apostrophe. The outcome column is the case's verdict on --on
  (default today in TIMEZONE), the one the monthly report counts: onTime, late, awaitingClose (answered on time, 待办结),
  open, openOverdue (no answer, past the deadline), ended (returned or withdrawn).
       npm run cli -- cases list overdue|to-close [--on YYYY-MM-DD]
  overdue: cases with no answer past their deadline (as /cases overdue and the digest); to-close: answered, not yet
  closed (待办结), on time or late. One line each: code, type, state, deadline, answered, outcome (no citizen text).
${caseAddUsage}
${caseReviewUsage}
${caseAppealUsage}
${caseRateUsage}`;

export const CASE_EXPORT_COLUMNS = [
  'code',
  'type',
  'channel',
  'state',
  'received_at',
  'claimed_at',
  'deadline_on',
  'extended',
  'replied_at',
  'closed_at',
  'assignee',
  'unreachable',
  'rating',
  'citizen_name',
  'contact',
  'text',
  'applicant_type',
  'applicant_id',
  // What staff need to check the reports against this file: estimated deadlines, the 受理告知 day, the closing basis
  // (重复件, 不予处理), table 三's result, and which scale and way a rating came by (民心网 vs the bot's stars).
  'deadline_estimated',
  'acceptance_notice_at',
  'acceptance_notice_via',
  'close_basis',
  'duplicate_of',
  'disclosure_result',
  'rating_scale',
  'rating_via',
  'outcome',
] as const;

/** Columns holding an instant: written as the bureau's local time, the zone named in the header. */
const TIME_COLUMNS = new Set<string>(['received_at', 'claimed_at', 'replied_at', 'closed_at', 'acceptance_notice_at']);

/** The export's header row: the time columns name the zone they are written in ("received_at (Asia/Shanghai)"). */
export function caseExportHeader(timeZone: string): string[] {
  return CASE_EXPORT_COLUMNS.map((c) => (TIME_COLUMNS.has(c) ? `${c} (${timeZone})` : c));
}

/** 张三丰 → 张**: enough for staff to recognise a case, not to identify a family. */
export function maskName(name: string | null): string {
  if (!name) return '';
  const chars = [...name.trim()];
  return chars.length <= 1 ? chars.join('') : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** The day verdicts are taken on: `on` (YYYY-MM-DD, local) or today, in `timeZone` (storage/case-outcome.ts). */
function judgedOn(on: string | undefined, timeZone: string): OutcomeDay {
  if (on === undefined) return outcomeDayAt(new Date(), timeZone);
  if (!isIsoDate(on)) throw new AppError('cli_usage', `--on must be a date such as 2026-12-07 (got "${on.slice(0, 20)}")\n${usage}`);
  return outcomeDayAt(new Date(startOfLocalDay(on, timeZone).getTime() + 12 * 3_600_000), timeZone);
}

const LIST_KINDS = { overdue: 'openOverdue', 'to-close': 'awaitingClose' } as const;

/** `cases list overdue|to-close`: the same cases /cases overdue|to-close and the digest show on that day. */
async function listCasesByOutcome(args: string[], io: CliIo): Promise<number> {
  let parsed: { values: { on?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { on: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
  }
  const kind = parsed.positionals[0];
  if (parsed.positionals.length !== 1 || !(kind! in LIST_KINDS)) throw new AppError('cli_usage', `cases list needs overdue or to-close.\n${usage}`);
  const config = parseConfig(io.env);
  const day = judgedOn(parsed.values.on, config.TIMEZONE);
  const db = await openStore(config.DATABASE_PATH);
  try {
    const states = [...OPEN_STATES];
    const filter = kind === 'overdue' ? { outcome: { day, in: ['openOverdue' as const] } } : { awaitingClose: true };
    const rows = (await listCases(db, { states, limit: 100_000, ...filter })).sort((a, b) => (a.deadlineOn ?? '').localeCompare(b.deadlineOn ?? '') || a.code.localeCompare(b.code));
    const outcomes = await caseOutcomes(db, rows.map((r) => r.id), day);
    const local = (iso: string | null) => (iso ? formatLocalDateTime(iso, config.TIMEZONE) : '-');
    for (const r of rows)
      io.stdout.write(`${[r.code, r.type, r.state, r.deadlineOn ?? '-', local(r.repliedAt), outcomes.get(r.id) ?? '-'].join('\t')}\n`);
    io.stderr.write(`${rows.length} case(s) ${kind === 'overdue' ? 'overdue (no answer, past the deadline)' : 'answered and awaiting closure (待办结)'} on ${day.today}.\n`);
  } finally {
    await db.close();
  }
  return 0;
}

const group: CliGroup = {
  summary: 'cases export [--out FILE.csv]: every case as CSV (contacts masked) | cases list overdue|to-close | cases add: log a phone/letter/visit case | cases review / reviews: 信访 复查·复核 | cases appeal / appeals: 行政复议·行政诉讼 of a disclosure answer | cases rate: a phone/民心网/letter/visit case\'s rating',
  usage,
  // `cases SUB --help`: that subcommand's usage, not the whole group's (which starts with export's).
  help: ([sub]) =>
    ({ export: usage.split('\n').slice(0, 4).join('\n'), add: caseAddUsage, review: caseReviewUsage, reviews: caseReviewUsage, appeal: caseAppealUsage, appeals: caseAppealUsage, rate: caseRateUsage })[sub ?? ''] ?? usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'add') return addCase(rest, io);
    if (sub === 'review') return recordCaseReview(rest, io);
    if (sub === 'reviews') return listCaseReviews(rest, io);
    if (sub === 'appeal') return recordCaseAppeal(rest, io);
    if (sub === 'appeals') return listCaseAppeals(rest, io);
    if (sub === 'rate') return recordCaseRating(rest, io);
    if (sub === 'list') return listCasesByOutcome(rest, io);
    if (sub !== 'export') throw new AppError('cli_usage', sub ? `Unknown cases command "${sub}".\n${usage}` : usage);
    let values: { out?: string; on?: string };
    try {
      ({ values } = parseArgs({ args: rest, options: { out: { type: 'string' }, on: { type: 'string' } } }));
    } catch (error) {
      throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
    }
    const config = parseConfig(io.env);
    const db = await openStore(config.DATABASE_PATH);
    try {
      const rows = await casesForExport(db, judgedOn(values.on, config.TIMEZONE));
      // Staff count from this file by date: a case received at 00:30 on 1 January belongs to the new local year.
      const local = (iso: string | null) => (iso ? formatLocalDateTime(iso, config.TIMEZONE) : null);
      const records = rows.map((c) => [
        c.code,
        c.type,
        c.channel,
        c.state,
        local(c.receivedAt),
        local(c.claimedAt),
        c.deadlineOn,
        c.extended ? 1 : 0,
        local(c.repliedAt),
        local(c.closedAt),
        c.assignee,
        c.unreachable ? 1 : 0,
        c.rating,
        maskName(c.citizenName),
        c.contact ? maskContact(c.contact) : '',
        maskPersonalData(c.text),
        c.applicantType ?? '',
        identityForStaff(c.applicantIdType, c.applicantIdNumber),
        c.deadlineEstimated ? 1 : 0,
        local(c.acceptanceNoticeAt),
        c.acceptanceNoticeVia ?? '',
        c.closeBasis ?? '',
        c.duplicateOf ?? '',
        c.disclosureResult ?? '',
        c.ratingScale ?? '',
        c.ratingVia ?? '',
        c.outcome,
      ]);
      writeCsv([caseExportHeader(config.TIMEZONE), ...records], io.stdout, values.out);
      if (values.out) io.stderr.write(`Wrote ${rows.length} case(s) to ${values.out}.\n`);
    } finally {
      await db.close();
    }
    return 0;
  },
};

export default group;
