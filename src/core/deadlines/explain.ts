import { weekday } from '../calendar/dates.js';
import type { CaseType } from '../types.js';
import type { DeadlineResult, DeadlineStep } from './compute.js';
import type { DeadlineRule } from './rules.js';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const label = (date: string) => `${date} ${DAY_NAMES[weekday(date)]}`;
const describeStep = (s: DeadlineStep) => `${label(s.date)}${s.name ? ` ${s.name}` : ''}${s.known ? '' : ' (estimated)'}`;

/**
 * A plain-text account of how a deadline was computed, for staff and auditors
 * (`npm run cli -- deadline explain`). English, with the holiday names in Chinese.
 */
export function explainDeadline(
  type: CaseType,
  rule: DeadlineRule,
  result: DeadlineResult,
  options: { lastKnownYear: number; extended?: boolean },
): string {
  const unitText = rule.unit === 'working' ? 'working days (工作日)' : 'calendar days (日)';
  const lines = [
    `Type:      ${type} (${rule.label}), ${rule.length} ${unitText}` +
      `${rule.extension > 0 ? `, one extension of ${rule.extension}` : ', no extension'}; clock starts when ${rule.clockStart}`,
    `Source:    ${rule.source}${rule.validTo ? ` (in force ${rule.validFrom ? `${rule.validFrom} ` : ''}to ${rule.validTo}; applies to what was received by then)` : ''}`,
    `From:      ${label(result.start)}; counting starts the next day ("次日" convention, 民法典 第二百零一条)`,
    `Counted:   ${result.units} ${unitText}${options.extended ? ` (${rule.length} + ${rule.extension} extension)` : ''}`,
  ];
  if (result.unit === 'working') {
    const holidays = result.steps.filter((s) => s.count === null && s.kind === 'holiday');
    const weekends = result.steps.filter((s) => s.count === null && s.kind === 'weekend');
    const makeups = result.steps.filter((s) => s.kind === 'makeup');
    lines.push(
      `Skipped:   ${holidays.length + weekends.length} rest days: ${holidays.length} holiday days, ${weekends.length} weekend days`,
      ...holidays.map((s) => `  holiday   ${describeStep(s)}`),
      ...weekends.map((s) => `  weekend   ${describeStep(s)}`),
      `Make-up working days (调休上班) counted: ${makeups.length}`,
      ...makeups.map((s) => `  counted   ${describeStep(s)} as working day #${s.count}`),
    );
  } else if (result.movedFrom) {
    const rest = result.steps.filter((s) => s.date !== result.deadlineOn);
    lines.push(
      `Raw end:   ${label(result.movedFrom)} is a rest day; moved to the next working day (民法典 第二百零三条)`,
      ...rest.map((s) => `  ${s.kind.padEnd(9)} ${describeStep(s)}`),
    );
  }
  lines.push(`Deadline:  ${label(result.deadlineOn)}`);
  const unknownYears = [...new Set(result.steps.filter((s) => !s.known).map((s) => s.date.slice(0, 4)))];
  lines.push(
    result.estimated
      ? `Estimated: YES: ${unknownYears.map((y) => `${y}年放假安排尚未发布，按法定节假日估算，未计调休`).join('；')} ` +
          `(official calendar known up to ${options.lastKnownYear}; weekends and the rest days of 《全国年节及纪念日放假办法》 skipped). ` +
          'Run `npm run cli -- calendar import NOTICE` when the State Council notice is out.'
      : `Estimated: no (official calendar known up to ${options.lastKnownYear})`,
  );
  return `${lines.join('\n')}\n`;
}
