import { hasText, t } from '../../core/i18n/index.js';
import { undeliveredLine } from '../../core/cases/undelivered.js';
import { actorLabel, channelLabel, stateLabel, typeLabel } from '../../core/i18n/labels.js';
import '../../core/i18n/jobs.js';
import '../../core/i18n/chat.js';
import { isAppError } from '../../core/errors.js';
import { errorText } from '../../core/i18n/errors-text.js';
import '../../core/i18n/staff.js';
import { formatLocalDateTime } from '../../core/reports/local-time.js';
import { maskPersonalData } from '../../core/privacy/mask.js';
import type { CaseDeskImpl } from '../../core/cases/desk.js';
import type { CaseAction, CaseDesk, CaseRecord, StaffNotice } from '../../core/cases/types.js';

type ClockActions = Pick<CaseDeskImpl, 'requestCorrection' | 'receiveCorrection' | 'startConsultation' | 'endConsultation'>;
import type { Locale } from '../../core/types.js';
import { acceptanceNoticeLine } from '../../core/cases/acceptance-notice.js';
import { reviewLine } from '../../core/cases/review-lines.js';
import { botCanReach } from '../../core/cases/answer-way.js';
import { OPEN_STATES } from '../../core/cases/transitions.js';
import { parseReviewText } from '../shared/review-command.js';
import { parseAppealText } from '../shared/appeal-command.js';
import { appealRecordedText, appealText } from '../../core/cases/appeals.js';
import { clockLines, disclosureLines, ratingText } from './staff-lines.js';
import { parseCloseCommand, resultList, takeApprover, takeWay } from './staff-close.js';
import { parseRateText } from '../shared/rate-command.js';
import { defaultRatingWay } from '../../core/cases/ratings.js';

/** The 信访 受理告知 line (nothing for other types, or for a desk without rules and calendar). */
function noticeLines(cases: CaseDesk, record: CaseRecord, locale: Locale, timeZone: string, now: Date): string[] {
  const { rules, calendar } = cases as Partial<CaseDeskImpl>;
  if (!rules || !calendar) return [];
  const line = acceptanceNoticeLine(record, { rules, calendar, timeZone, locale, now });
  return line ? [line] : [];
}

/**
 * The case's 复查 / 复核 entries, one line each; for an open case without a chat, the 救济途径 sentence staff must put
 * in their written answer (the bot adds it to the answers it delivers itself).
 */
async function reviewLines(cases: CaseDesk, record: CaseRecord, locale: Locale): Promise<string[]> {
  const desk = cases as Partial<CaseDeskImpl>;
  const lines = ((await desk.reviews?.(record.code)) ?? []).map((r) => reviewLine(r, locale));
  const remedy = OPEN_STATES.includes(record.state) && !botCanReach(record) ? desk.remedyHint?.(record) : null;
  if (remedy) lines.push(t(locale, 'chat.console.remedyHint', { text: remedy }));
  return lines;
}

const STAFF_OPEN = ['received', 'claimed', 'replied', 'returned', 'extended', 'unreachable', 'reopened'] as const;


/** A staff notice as one console line; citizen text is masked like in the Slack channel. */
export async function formatStaffNotice(cases: CaseDesk, notice: StaffNotice, locale: Locale): Promise<string | null> {
  const record = await cases.get(notice.caseCode);
  if (!record) return null;
  const event = (await cases.history(record.code)).find((e) => e.id === notice.eventId);
  const type = typeLabel(locale, record.type);
  const prefix = t(locale, 'chat.console.staffPrefix');
  const mask = (s: string | null | undefined) => maskPersonalData(s ?? '');
  switch (notice.change) {
    case 'created':
      return `${prefix} ${t(locale, 'chat.console.staffCreated', {
        code: record.code,
        type,
        channel: channelLabel(locale, record.channel),
        text: mask(record.text),
        deadline: record.deadlineOn ?? '-',
      })}`;
    case 'followup':
      return `${prefix} ${t(locale, 'chat.console.staffFollowup', { code: record.code, text: mask(event?.note) })}`;
    case 'contact':
      return `${prefix} ${t(locale, 'chat.console.staffContact', { code: record.code, phone: mask(event?.note) })}`;
    case 'reply':
      return `${prefix} ${t(locale, 'chat.console.staffReply', { code: record.code, text: mask(event?.note) })}`;
    case 'rated':
      return `${prefix} ${t(locale, 'chat.console.staffRated', { code: record.code, rating: ratingText(event?.note) })}`;
    case 'pause':
      return `${prefix} ${t(locale, 'chat.console.staffPause', { code: record.code, what: t(locale, `chat.console.pause.${event?.kind ?? 'consultation_ended'}`), note: mask(event?.note), deadline: record.deadlineOn ?? t(locale, 'chat.console.paused') })}`;
    case 'deadline':
      return `${prefix} ${t(locale, 'chat.console.staffDeadline', { code: record.code, note: event?.note ?? '' })}`;
    case 'review': {
      const review = (await (cases as Partial<CaseDeskImpl>).reviews?.(record.code))?.find((r) => r.eventId === notice.eventId);
      return review ? `${prefix} ${record.code} ${reviewLine(review, locale)}` : null;
    }
    case 'appeal': {
      const appeal = (await (cases as Partial<CaseDeskImpl>).appeals?.(record.code))?.find((a) => a.eventId === notice.eventId);
      return appeal ? `${prefix} ${record.code} ${appealText(appeal, locale)}` : null;
    }
    case 'erased':
      return `${prefix} ${t(locale, 'chat.console.staffErased', { code: record.code })}`;
    case 'undelivered':
      return `${prefix} ${record.code} ${undeliveredLine(record, { note: event?.note ?? null }, locale)}`;
    case 'acceptance':
      return `${prefix} ${t(locale, 'chat.console.staffAcceptance', { code: record.code, via: event?.via ?? '-', actor: actorLabel(locale, event?.actor) })}`;
    case 'transition':
      return `${prefix} ${t(locale, 'chat.console.staffTransition', {
        code: record.code,
        from: stateLabel(locale, event?.fromState),
        to: stateLabel(locale, event?.toState ?? record.state),
        actor: actorLabel(locale, event?.actor),
        // No note, no trailing separator (a close without a note used to end in a stray "-").
        note: event?.note && event.note !== '-' ? t(locale, 'chat.console.staffNote', { note: mask(event.note) }) : '',
      })}`;
  }
}

function parseAction(verb: string, rest: string, locale: Locale): CaseAction | null {
  switch (verb) {
    case 'claim': {
      // "方式=电话": a 信访 case without a chat, claimed after staff told the citizen it was accepted (第二十二条)
      const { via } = takeWay(rest, locale);
      return { kind: 'claim', ...(via ? { via } : {}) };
    }
    case 'reply': {
      const { text, via } = takeWay(rest, locale);
      return text ? { kind: 'reply', text, ...(via ? { via } : {}) } : null;
    }
    case 'extend': {
      const way = takeWay(rest, locale);
      const { text, approvedBy } = takeApprover(way.text);
      return text ? { kind: 'extend', reason: text, ...(approvedBy ? { approvedBy } : {}), ...(way.via ? { via: way.via } : {}) } : null;
    }
    case 'return': {
      // "方式=电话": a case without a chat, returned after staff told the citizen why
      const { text, via } = takeWay(rest, locale);
      return text ? { kind: 'return', reason: text, ...(via ? { via } : {}) } : null;
    }
    case 'unreachable':
      return { kind: 'unreachable', ...(rest ? { note: rest } : {}) };
    case 'withdraw': {
      // A withdrawal the citizen made outside the chat (by phone, in a letter): how is required, as in Slack.
      const { text, via } = takeWay(rest, locale);
      return via ? { kind: 'withdraw', via, ...(text ? { note: text } : {}) } : null;
    }
    case 'reopen':
      return { kind: 'reopen', ...(rest ? { note: rest } : {}) };
    default:
      return null;
  }
}

/** Disclosure clock commands: correct CODE what-is-missing | corrected CODE [YYYY-MM-DD] [text] | consult CODE party | consulted CODE [note]. */
function clockCommand(cases: CaseDesk, verb: string, code: string, rest: string, locale: Locale): Promise<CaseRecord> | null {
  const desk = cases as Partial<ClockActions>;
  if (!code || !desk.requestCorrection || !desk.receiveCorrection || !desk.startConsultation || !desk.endConsultation) return null;
  if (verb === 'correct' && rest) {
    const { text, via } = takeWay(rest, locale);
    return desk.requestCorrection(code, text, 'console', via);
  }
  if (verb === 'corrected') {
    // `corrected CODE [YYYY-MM-DD] [说明]`: the day the corrected request arrived (default today), as in Slack.
    const day = /^(\d{4}-\d{2}-\d{2})(?=\s|$)/u.exec(rest);
    return desk.receiveCorrection(code, (day ? rest.slice(day[0].length).trim() : rest) || '-', 'console', day?.[1]);
  }
  if (verb === 'consult' && rest) return desk.startConsultation(code, rest, 'console');
  if (verb === 'consulted') return desk.endConsultation(code, 'console', rest || undefined);
  return null;
}

/**
 * `/case list | show CODE | claim CODE | reply CODE text | close CODE note | extend | return | unreachable | reopen`
 * typed in the console: the staff desk when Slack is off. Returns the lines to print; states, times
 * (in `timeZone`, the bureau's TIMEZONE) and errors are in the staff's language.
 */
export async function runStaffCommand(
  cases: CaseDesk,
  line: string,
  locale: Locale,
  timeZone = 'Asia/Shanghai',
  now: () => Date = () => new Date(),
): Promise<string> {
  const [, verb = '', code = '', ...restWords] = line.trim().split(/\s+/);
  const rest = restWords.join(' ');
  try {
    if (verb === 'list') {
      const open = await cases.list({ states: [...STAFF_OPEN], limit: 50 });
      if (open.length === 0) return t(locale, 'chat.console.staffNone');
      return open
        .map((c) => `${c.code}  ${typeLabel(locale, c.type)}  ${stateLabel(locale, c.state)}  ${c.deadlineOn ?? '-'}  ${maskPersonalData(c.text).slice(0, 40)}`)
        .join('\n');
    }
    if (verb === 'show' && code) {
      const record = await cases.get(code);
      if (!record) return t(locale, 'chat.status.notFound', { code });
      const events = await cases.history(record.code);
      const when = (iso: string) => formatLocalDateTime(iso, timeZone);
      return [
        t(locale, 'chat.console.staffShowHead', {
          code: record.code,
          type: typeLabel(locale, record.type),
          channel: channelLabel(locale, record.channel),
          state: stateLabel(locale, record.state),
          received: when(record.receivedAt),
          deadline: record.deadlineOn ?? '-',
        }),
        record.text,
        ...(record.contact ? [record.contact] : []),
        ...disclosureLines(record, locale),
        ...clockLines(record, events, { locale, timeZone, now: now(), calendar: (cases as Partial<CaseDeskImpl>).calendar }),
        ...noticeLines(cases, record, locale, timeZone, now()),
        ...(await reviewLines(cases, record, locale)),
        ...events.map((e) => {
          const move = e.fromState || e.toState ? `  ${stateLabel(locale, e.fromState)} → ${stateLabel(locale, e.toState)}` : '';
          const kind = hasText(`staff.event.${e.kind}`) ? t(locale, `staff.event.${e.kind}`) : e.kind;
          const via = e.via ? t(locale, 'staff.via', { via: e.via }) : ''; // answered outside the bot: how
          return `  ${when(e.at)}  ${actorLabel(locale, e.actor)}  ${kind}${via}${move}${e.note ? `  ${e.note}` : ''}`;
        }),
      ].join('\n');
    }
    if (verb === 'results') return resultList(locale);
    const clock = clockCommand(cases, verb, code, rest, locale);
    if (clock) {
      const record = await clock;
      return t(locale, 'chat.console.staffDone', { code: record.code, state: `${stateLabel(locale, record.state)} · ${record.deadlineOn ?? t(locale, 'chat.console.paused')}` });
    }
    const closing = parseCloseCommand(verb, rest, locale);
    if (closing && 'error' in closing) return closing.error;
    if ((verb === 'reply' || verb === 'extend' || verb === 'claim' || verb === 'notified' || verb === 'withdraw') && takeWay(rest, locale).error) return takeWay(rest, locale).error!;
    if (verb === 'review' && code) {
      // 复查 / 复核 decision about a closed 信访 case: `review CODE 复查 结果=维持 请求=… 意见=…`
      const desk = cases as Partial<CaseDeskImpl>;
      const input = parseReviewText(rest);
      if (!input || !desk.recordReview) return t(locale, 'chat.console.staffUsage');
      const { case: record, review } = await desk.recordReview(code, input, 'console');
      return `${t(locale, 'chat.console.staffDone', { code: record.code, state: stateLabel(locale, record.state) })}\n${reviewLine(review, locale)}`;
    }
    if (verb === 'appeal' && code) {
      // 行政复议 / 行政诉讼 against a disclosure answer: `appeal CODE 复议 收到=… [结果=… 审结=…] [案号=…]`
      const desk = cases as Partial<CaseDeskImpl>;
      const input = parseAppealText(rest);
      if (!input || !desk.recordAppeal) return t(locale, 'chat.console.staffUsage');
      return appealRecordedText(await desk.recordAppeal(code, input, 'console'), locale);
    }
    if (verb === 'rate' && code) {
      // A rating given outside the chat (民心网, the 回访 call): `rate CODE N [方式] [YYYY-MM-DD]`, as in Slack.
      const desk = cases as Partial<CaseDeskImpl>;
      const input = parseRateText([code, ...restWords]);
      if (!input || !desk.recordRating || !desk.ratingScales) return t(locale, 'chat.console.staffUsage');
      const record = await cases.get(code);
      if (!record) return t(locale, 'chat.status.notFound', { code });
      const via = input.via ?? defaultRatingWay(record.channel);
      const updated = await desk.recordRating(record.code, { value: input.value, via, ...(input.on ? { on: input.on } : {}) }, 'console');
      const rating = (await cases.history(updated.code)).filter((e) => e.kind === 'rated').at(-1);
      const done = t(locale, 'chat.console.staffDone', { code: updated.code, state: stateLabel(locale, updated.state) });
      return rating ? `${done}\n${ratingText(rating.note, desk.ratingScales)}（${via}）` : done;
    }
    if (verb === 'notified' && code) {
      // 受理告知 given outside the bot: `notified CODE 方式=电话`
      const desk = cases as Partial<CaseDeskImpl>;
      const { via } = takeWay(rest, locale);
      if (!via || !desk.recordAcceptanceNotice) return t(locale, 'chat.console.staffUsage');
      const record = await desk.recordAcceptanceNotice(code, via, 'console');
      return t(locale, 'chat.console.staffDone', { code: record.code, state: stateLabel(locale, record.state) });
    }
    const action = closing ?? parseAction(verb, rest, locale);
    if (!action || !code) return t(locale, 'chat.console.staffUsage');
    const result = await cases.act(code, action, 'console');
    return t(locale, 'chat.console.staffDone', { code: result.case.code, state: stateLabel(locale, result.case.state) });
  } catch (error) {
    if (isAppError(error)) return errorText(locale, error);
    throw error;
  }
}
