import '../i18n/cases.js';
import { t } from '../i18n/index.js';
import type { Button, Locale, Reply } from '../types.js';
import { RESULT_PETITION_IN_DISGUISE, resultForApplicant } from './disclosure.js';
import { resultKeyOf } from '../reports/annual/model.js';
import { starLevels, type RatingScales } from './ratings.js';
import type { CaseEventRecord, CaseRecord } from './types.js';

/** Builds what the citizen is told about a case event, from the `cases` catalogue. */
export interface CitizenMessageOptions {
  scales: RatingScales;
  phone: string;
  /** REOPEN_DAYS: how long the parent may object after closing. */
  reopenDays?: number;
  /** Types on the 信访 clock (rule.acceptanceNotice): their claim message is the written 受理告知. */
  hasAcceptanceNotice?: (type: CaseRecord['type']) => boolean;
  /** The 救济途径 line a closing answer carries (remedies.ts remedyLine), or null. */
  remedy?: (record: CaseRecord) => string | null;
  /** The last day to send a 补正 asked by `event` (rules' `correction`), or null when no period is stated. */
  correctionDue?: (record: CaseRecord, event: CaseEventRecord) => string | null;
}

export function formatDeadline(locale: Locale, date: string): string {
  const [year = '', mm = '', dd = ''] = date.split('-');
  return t(locale, 'cases.date', { year, mm, dd, month: Number(mm), day: Number(dd) });
}

/**
 * The stars (1 first, as on every channel) and the objection button; a 政府信息公开申请 has no objection button (its
 * answer is contested by 行政复议 / 行政诉讼, named in the closing, and is not reopened: apply-action.ts).
 */
export function rateButtons(record: Pick<CaseRecord, 'code' | 'locale' | 'type'>, scales: RatingScales): Button[][] {
  const stars = [
    ...starLevels(scales).map((level) => [
      {
        label: t(record.locale, 'cases.rateButton', { stars: '★'.repeat(level.value), label: level[record.locale] }),
        payload: { kind: 'rate' as const, caseCode: record.code, value: level.value },
      },
    ]),
  ];
  return record.type === 'disclosure' ? stars : [...stars, [objectButton(record)]];
}

export function objectButton(record: Pick<CaseRecord, 'code' | 'locale'>): Button {
  return { label: t(record.locale, 'cases.objectButton'), payload: { kind: 'reopen', caseCode: record.code } };
}

/** The closing message's key: how it was closed decides what the parent is told. */
function closedKey(record: CaseRecord): string {
  switch (record.closeBasis) {
    case 'message':
      return 'closed.message';
    case 'duplicate':
      return 'closed.duplicate';
    case 'not-processed':
      return record.type === 'disclosure' && record.disclosureResult === RESULT_PETITION_IN_DISGUISE ? 'closed.article39' : 'closed.notProcessed';
    case 'unreachable':
      return 'closed.unreachable';
    default:
      return 'closed';
  }
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

/** The table 三 result in the parent's language ("不予公开（属于国家秘密）" / "not disclosed (a state secret)"). */
function resultText(locale: Locale, stored: string): string {
  const key = resultKeyOf(stored);
  return key ? t(locale, `cases.result.${key}`) : resultForApplicant(stored);
}

/** "请于…前补正。" for a 补正告知 with a stated period, else ''. */
const correctionDueText = (locale: Locale, due: string | null) => (due ? t(locale, 'cases.correctionDue', { date: formatDeadline(locale, due) }) : '');

export function citizenMessage(record: CaseRecord, event: CaseEventRecord, options: CitizenMessageOptions): Reply | null {
  const key = keyFor(event);
  if (!key) return null;
  const locale = record.locale;
  const fullKey =
    key === 'closed' ? closedKey(record) : key === 'claimed' && options.hasAcceptanceNotice?.(record.type) ? 'claimedAccepted' : key;
  let text = t(locale, `cases.${fullKey}`, {
    code: record.code,
    type: t(locale, `cases.type.${record.type}`),
    deadline: record.deadlineOn ? formatDeadline(locale, record.deadlineOn) : '—',
    estimated: record.deadlineEstimated ? t(locale, 'cases.estimatedNote') : '',
    reply: event.note ?? '',
    reason: event.note ?? '',
    phone: options.phone,
    note: key === 'closed' && record.closeNote ? t(locale, 'cases.closeNote', { note: record.closeNote }) : '',
    message: record.closeNote ?? '',
    other: record.duplicateOf ?? '',
    due: correctionDueText(locale, key === 'correctionRequested' ? options.correctionDue?.(record, event) ?? null : null),
  });
  if (key !== 'closed') return { text, caseCode: record.code };
  if (record.type === 'disclosure' && record.disclosureResult) text += `\n${t(locale, 'cases.disclosureResult', { result: resultText(locale, record.disclosureResult) })}`;
  const remedy = options.remedy?.(record);
  if (remedy) text += `\n${remedy}`;
  text += `\n${record.type === 'disclosure' ? t(locale, 'cases.rateOnly') : t(locale, 'cases.rateAndObject', { days: options.reopenDays ?? 15 })}`;
  return { text, caseCode: record.code, buttons: rateButtons(record, options.scales) };
}
