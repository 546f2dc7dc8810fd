import '../i18n/cases.js';
import { t } from '../i18n/index.js';
import type { Button, Locale, Reply } from '../types.js';
import type { RatingScales } from './ratings.js';
import type { CaseEventRecord, CaseRecord } from './types.js';

/** Builds what the citizen is told about a case event, from the `cases` catalogue. */
export interface CitizenMessageOptions {
  scales: RatingScales;
  phone: string;
}

export function formatDeadline(locale: Locale, date: string): string {
  const [year = '', mm = '', dd = ''] = date.split('-');
  return t(locale, 'cases.date', { year, mm, dd, month: Number(mm), day: Number(dd) });
}

function rateButtons(record: CaseRecord, scales: RatingScales): Button[][] {
  return scales.stars.levels.map((level) => [
    {
      label: t(record.locale, 'cases.rateButton', { stars: '★'.repeat(level.value), label: level[record.locale] }),
      payload: { kind: 'rate', caseCode: record.code, value: level.value },
    },
  ]);
}

/** The catalogue key for an event, or null when the citizen is not told (notes, follow-ups, context, ratings). */
function keyFor(event: CaseEventRecord): string | null {
  if (event.kind === 'created') return 'filed';
  if (event.kind === 'reply') return 'replied';
  if (event.kind === 'deadline') return 'deadlineEarlier';
  if (event.kind === 'correction_requested') return 'correctionRequested';
  if (event.kind === 'correction_received') return 'correctionReceived'; // sent only when the promised date moves earlier
  if (event.kind !== 'transition' || !event.toState) return null;
  const byState: Partial<Record<string, string>> = {
    claimed: 'claimed',
    replied: 'replied',
    extended: 'extended',
    closed: 'closed',
    reopened: 'reopened',
    returned: 'returned',
    unreachable: 'unreachable',
    withdrawn: 'withdrawn',
  };
  return byState[event.toState] ?? null;
}

export function citizenMessage(record: CaseRecord, event: CaseEventRecord, options: CitizenMessageOptions): Reply | null {
  const key = keyFor(event);
  if (!key) return null;
  const locale = record.locale;
  const text = t(locale, `cases.${key}`, {
    code: record.code,
    type: t(locale, `cases.type.${record.type}`),
    deadline: record.deadlineOn ? formatDeadline(locale, record.deadlineOn) : '—',
    estimated: record.deadlineEstimated ? t(locale, 'cases.estimatedNote') : '',
    reply: event.note ?? '',
    reason: event.note ?? '',
    phone: options.phone,
  });
  const reply: Reply = { text, caseCode: record.code };
  if (key === 'closed') reply.buttons = rateButtons(record, options.scales);
  return reply;
}
