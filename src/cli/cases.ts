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
import type { CliGroup } from './types.js';

const usage = `Usage: npm run cli -- cases export [--out FILE.csv]
  One row per case (UTF-8 with BOM, opens in Excel). Times are the bureau's local time (TIMEZONE, named in the header).
  Phone and ID numbers (身份证明 included) are masked, names shortened to the surname; text a spreadsheet would run as a
  formula (=, +, -, @ first) is written with a leading apostrophe.
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

const group: CliGroup = {
  summary: 'cases export [--out FILE.csv]: every case as CSV (contacts masked) | cases add: log a phone/letter/visit case | cases review / reviews: 信访 复查·复核 | cases appeal / appeals: 行政复议·行政诉讼 of a disclosure answer | cases rate: a phone/民心网/letter/visit case\'s rating',
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
    if (sub !== 'export') throw new AppError('cli_usage', sub ? `Unknown cases command "${sub}".\n${usage}` : usage);
    let values: { out?: string };
    try {
      ({ values } = parseArgs({ args: rest, options: { out: { type: 'string' } } }));
    } catch (error) {
      throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
    }
    const config = parseConfig(io.env);
    const db = await openStore(config.DATABASE_PATH);
    try {
      const rows = await casesForExport(db);
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
