import { parseConfig } from '../config.js';
import { loadWorkCalendar } from '../core/calendar/index.js';
import { createCaseDesk } from '../core/cases/index.js';
import type { WorkCalendar } from '../core/calendar/calendar.js';
import {
  caseClock, clockStartDate, consultationReplyWindow, CONSULTATION_REPLY_WORKING_DAYS, explainDeadline, loadDeadlineRules, pausedDeadline, ruleInForce, type Pause,
} from '../core/deadlines/index.js';
import { dateInZone } from '../core/calendar/dates.js';
import { AppError } from '../core/errors.js';
import { openStore } from '../storage/open-store.js';
import type { CliIo } from './types.js';

const PAUSE_NAMES = { correction: '补正 (第三十条)', consultation: '征求第三方意见 (第三十二条、第三十三条)' } as const;

function pauseLine(p: Pause, workingDays: (a: string, b: string) => number): string {
  const span = `${p.from} → ${p.to ?? 'running'}`;
  const effect =
    p.kind === 'correction'
      ? p.to ? `clock restarted from zero on ${p.to}` : 'clock stopped until the applicant answers'
      : p.to ? `${workingDays(p.from, p.to)} working days not counted` : 'clock paused';
  return `  ${PAUSE_NAMES[p.kind]}  ${span}: ${effect}${p.note ? ` (${p.note})` : ''}`;
}

/** The running consultation's reply window (第三十二条: 15 工作日 from the third party's receipt of the request). */
function consultationLine(calendar: WorkCalendar, from: string, today: string): string {
  const w = consultationReplyWindow(calendar, from, today);
  const due = `${w.due}${w.estimated ? ' (estimated: no holiday schedule for that year yet)' : ''}`;
  const head = `Third party: opinion due ${due} (第三十二条: ${CONSULTATION_REPLY_WORKING_DAYS} working days from receiving the request for comments)`;
  return w.overdueDays > 0 ? `${head}\nOVERDUE:   ${w.overdueDays} working days past the third party's reply date; chase it or decide on disclosure` : head;
}

/** `deadline explain CODE`: the stored case's deadline, with every clock pause. */
export async function explainCase(code: string, io: CliIo, paths: { rules?: string; overrides?: string }): Promise<number> {
  const config = parseConfig(io.env);
  const db = await openStore(config.DATABASE_PATH);
  try {
    const rules = loadDeadlineRules(paths.rules);
    const calendar = loadWorkCalendar(paths.overrides);
    const desk = createCaseDesk({ db, config, rules, calendar });
    const record = await desk.get(code);
    if (!record) throw new AppError('case_not_found', `No case with code "${code}" exists.`);
    const rule = ruleInForce(rules[record.type], dateInZone(new Date(record.receivedAt), config.TIMEZONE));
    const events = await desk.history(record.code);
    const received = clockStartDate(rule, record, config.TIMEZONE);
    const clock = caseClock(calendar, received, events, config.TIMEZONE);
    const lines = [`Case:      ${record.code} (${record.state}), received ${dateInZone(new Date(record.receivedAt), config.TIMEZONE)}`];
    if (clock.pauses.length > 0) lines.push('Pauses:', ...clock.pauses.map((p) => pauseLine(p, calendar.workingDaysBetween)));
    if (clock.consultedDays > 0) lines.push(`Not counted: ${clock.consultedDays} working days of consultation, added to the deadline`);
    const consulting = clock.pauses.find((p) => p.kind === 'consultation' && p.to === null);
    if (consulting) lines.push(consultationLine(calendar, consulting.from, dateInZone(new Date(), config.TIMEZONE)));
    io.stdout.write(`${lines.join('\n')}\n`);
    const result = pausedDeadline(calendar, rule, { ...clock, start: clock.pauses.length > 0 ? clock.start : received }, record.extended);
    if (!result) {
      io.stdout.write(`Deadline:  none while the ${PAUSE_NAMES[clock.paused!]} pause runs\n`);
      const asked = clock.pauses.find((p) => p.kind === 'correction' && p.to === null);
      if (asked)
        io.stdout.write(
          `Pending:   补正 asked on ${asked.from} is not answered yet; the request waits for the applicant (第三十条: not corrected without good reason = request abandoned)\n`,
        );
      return 0;
    }
    io.stdout.write(explainDeadline(record.type, rule, result, { lastKnownYear: calendar.lastKnownYear, extended: record.extended }));
    return 0;
  } finally {
    await db.close();
  }
}
