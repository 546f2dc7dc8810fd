import type { types } from '@slack/bolt';
import { undeliveredFlag, undeliveredLine } from '../../core/cases/undelivered.js';
import { OPEN_STATES, allowedActions } from '../../core/cases/transitions.js';
import { consultationReplyLine } from '../../core/cases/clock-text.js';
import { identityForStaff } from '../../core/cases/identity.js';
import { ratingText } from '../../core/cases/ratings.js';
import type { CaseEventRecord, CaseRecord } from '../../core/cases/types.js';
import { CORRECTION_NOTICE_WORKING_DAYS, type RunningPauses } from '../../core/deadlines/index.js';
import { t } from '../../core/i18n/index.js';
import { actorLabel, channelLabel, stateLabel, typeLabel } from '../../core/i18n/labels.js';
import { maskContact } from '../../core/cases/contact.js';
import type { Locale } from '../../core/types.js';
import type { CaseOutcome } from '../../storage/case-outcome.js';
import { citizenSections, citizenText, escapeMrkdwn, localDate, localDateTime, splitMrkdwn, truncate } from './mrkdwn.js';
import { CASE_ACTIONS } from './types.js';

/** Block Kit limits (docs.slack.dev/reference/block-kit): checked by tests on every message we build. */
export const LIMITS = { blocksPerMessage: 50, sectionText: 3000, buttonValue: 2000, modalTitle: 24 } as const;

export interface CaseView {
  locale: Locale;
  timeZone: string;
  now: Date;
  workingDaysBetween?: (from: string, to: string) => number;
  /**
   * The case's outcome today by the shared definition (storage/case-outcome.ts): the deadline field says overdue,
   * 待办结 or days left from it. Absent: the date alone, no verdict.
   */
  outcome?: CaseOutcome;
  /** The staff-only, audited /case CODE detail: personal fields (applicant name, postal address, e-mail) in full. */
  full?: boolean;
  /** The disclosure clock pauses running now (runningPauses over the case's events); none when absent. */
  pauses?: RunningPauses;
  /** The running consultation's reply window (第三十二条), when the desk has a calendar. */
  consultationReply?: { due: string; estimated: boolean; overdueDays: number };
  /** The 信访 受理告知 line (acceptanceNoticeLine): when and how told, or the due date; absent for other types. */
  acceptanceNotice?: string | null;
  /** 信访 复查 / 复核 entries (reviewLine), oldest first; absent for other types. */
  reviews?: string[];
  /** A closed 信访 case answered with a 处理意见 (canRecordReview): the card offers 记录复查/复核. */
  reviewable?: boolean;
  /** Disclosure 行政复议 / 行政诉讼 (appealText of each appeal's latest entry), oldest first. */
  appeals?: string[];
  /** A closed disclosure request (appeal-entry.ts canRecordAppeal): the card offers 记录行政复议/诉讼. */
  appealable?: boolean;
  /** A closed case without a chat (rating-entry.ts canRecordRating): the card offers 记录评价. */
  ratable?: boolean;
  /** …still within REOPEN_DAYS (canReopen): the card offers 重新办理 (the citizen objected by phone). */
  reopenable?: boolean;
  /** An open case without a chat: the 救济途径 sentence staff must put in their written answer. */
  remedyHint?: string | null;
}

/** Open = the bureau still owes work (the case desk's OPEN_STATES). */
export function isOpen(record: CaseRecord): boolean {
  return OPEN_STATES.includes(record.state);
}

/**
 * "2026-12-10（剩 8 个工作日）" / "（已超期 2 个工作日）" / "（已按期答复，待办结）" / "（逾期答复，待办结）", by the case's
 * outcome (view.outcome, the shared definition); just the date without an outcome or a calendar, or once closed.
 */
export function deadlineText(record: CaseRecord, view: CaseView): string {
  const l = view.locale;
  if (!record.deadlineOn) return t(l, 'slack.field.none');
  const estimated = record.deadlineEstimated ? t(l, 'slack.field.estimated') : '';
  const wdb = view.workingDaysBetween;
  if (!wdb || !isOpen(record) || !view.outcome) return `${record.deadlineOn}${estimated}`;
  const today = localDate(view.now, view.timeZone);
  const judged: Partial<Record<CaseOutcome, () => string>> = {
    open: () => t(l, 'slack.field.daysLeft', { days: wdb(today, record.deadlineOn!) }),
    openOverdue: () => t(l, 'slack.field.overdue', { days: wdb(record.deadlineOn!, today) }),
    awaitingClose: () => t(l, 'slack.field.repliedOnTime'),
    late: () => t(l, 'slack.field.repliedLate'),
  };
  return `${record.deadlineOn}${judged[view.outcome]?.() ?? ''}${estimated}`;
}

export function assigneeText(assignee: string | null, locale: Locale): string {
  if (!assignee) return t(locale, 'slack.field.unassigned');
  return assignee.startsWith('slack:') ? `<@${assignee.slice(6)}>` : escapeMrkdwn(assignee);
}

/** The staff-channel message of a case: summary, citizen text (masked, escaped) and the action buttons. */
export function caseMessage(record: CaseRecord, view: CaseView): { text: string; blocks: types.KnownBlock[] } {
  const l = view.locale;
  const type = typeLabel(l, record.type);
  const fields = [
    [t(l, 'slack.field.channel'), channelLabel(l, record.channel)],
    [t(l, 'slack.field.state'), stateLabel(l, record.state)],
    [t(l, 'slack.field.deadline'), deadlineText(record, view)],
    [t(l, 'slack.field.assignee'), assigneeText(record.assignee, l)],
    [t(l, 'slack.field.received'), localDateTime(record.receivedAt, view.timeZone)],
    [t(l, 'slack.field.contact'), record.contact ? escapeMrkdwn(maskContact(record.contact)) : t(l, 'slack.field.none')],
  ];
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${record.code} · ${type}`, 150) } },
    { type: 'section', fields: fields.map(([k, v]) => ({ type: 'mrkdwn' as const, text: `*${k}*\n${v}` })) },
    // The whole text, in as many sections as it needs: staff must read all of what the citizen wrote.
    ...citizenSections(record.text).map((text): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } })),
  ];
  const intake = disclosureIntakeLines(record, l, view.full ?? false);
  if (intake) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: intake } });
  if (record.handoff && isOpen(record)) blocks.push(contextLine(t(l, 'slack.field.handoff')));
  if (record.extended && record.extensionReason)
    blocks.push(contextLine(t(l, 'slack.field.extended', { reason: citizenText(record.extensionReason, 500) })));
  for (const line of pauseLines(record, view)) blocks.push(contextLine(line));
  if (view.acceptanceNotice) blocks.push(contextLine(escapeMrkdwn(view.acceptanceNotice)));
  for (const line of view.reviews ?? []) blocks.push(contextLine(escapeMrkdwn(line)));
  for (const line of view.appeals ?? []) blocks.push(contextLine(escapeMrkdwn(line)));
  if (view.remedyHint) blocks.push(contextLine(escapeMrkdwn(view.remedyHint)));
  // Erased (privacy erasure, retention purge): the card says so, instead of leaving staff to wonder where the text went.
  if (record.anonymisedAt) blocks.push(contextLine(t(l, 'slack.field.erased', { date: localDate(new Date(record.anonymisedAt), view.timeZone) })));
  const undelivered = undeliveredFlag(record, l);
  if (undelivered) blocks.push(contextLine(`:warning: ${escapeMrkdwn(undelivered)}`));
  const actions = caseButtons(record, view);
  if (actions.elements.length > 0) blocks.push(actions);
  const text = t(l, 'slack.case.fallback', { code: record.code, type, state: stateLabel(l, record.state) });
  return { text, blocks };
}

/**
 * 政府信息公开申请 intake (第二十九条) as staff need it to answer: applicant type, 身份证明 (masked), form and way of delivery; the
 * name and the postal address or e-mail only in the audited /case CODE detail, like the full contact.
 */
function disclosureIntakeLines(record: CaseRecord, l: Locale, full: boolean): string | null {
  if (record.type !== 'disclosure' || !(record.citizenName || record.applicantType || record.deliveryMethod)) return null;
  const none = t(l, 'slack.field.none');
  const hidden = t(l, 'slack.field.inDetail', { code: record.code });
  return t(l, 'slack.field.disclosureIntake', {
    name: full ? escapeMrkdwn(record.citizenName ?? none) : hidden,
    applicant: escapeMrkdwn(record.applicantType ?? none),
    // 身份证明: masked in the post and in the detail alike (the number is never shown whole).
    identity: escapeMrkdwn(identityForStaff(record.applicantIdType, record.applicantIdNumber) || none),
    form: escapeMrkdwn(record.deliveryForm ?? none),
    method: escapeMrkdwn(record.deliveryMethod ?? none),
    address: !record.deliveryAddress ? none : full ? escapeMrkdwn(truncate(record.deliveryAddress, 300)) : hidden,
  });
}

function contextLine(text: string): types.KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/** A running 补正 or consultation: why there is no deadline, and (补正) that the request waits for the applicant. */
function pauseLines(record: CaseRecord, view: CaseView): string[] {
  if (record.type !== 'disclosure' || !isOpen(record)) return [];
  const l = view.locale;
  const lines: string[] = [];
  const { correction, consultation } = view.pauses ?? {};
  if (correction)
    lines.push(t(l, 'slack.field.correctionPending', { date: localDate(new Date(correction.at), view.timeZone), text: citizenText(correction.note ?? '', 500) }));
  if (consultation)
    lines.push(t(l, 'slack.field.consultationRunning', { date: localDate(new Date(consultation.at), view.timeZone), text: citizenText(consultation.note ?? '', 500) }));
  const reply = consultation ? view.consultationReply : undefined;
  if (reply) lines.push(`${reply.overdueDays > 0 ? ':warning: ' : ''}${consultationReplyLine(l, reply)}`);
  return lines;
}

/** 第三十条: 补正 can be asked for only within 7 working days of receipt (unknown without a calendar: offered). */
function withinCorrectionWindow(record: CaseRecord, view: CaseView): boolean {
  if (!view.workingDaysBetween) return true;
  const received = localDate(new Date(record.receivedAt), view.timeZone);
  return view.workingDaysBetween(received, localDate(view.now, view.timeZone)) <= CORRECTION_NOTICE_WORKING_DAYS;
}

function caseButtons(record: CaseRecord, view: CaseView): types.ActionsBlock {
  const l = view.locale;
  const button = (id: string, label: string, style?: 'primary' | 'danger'): types.Button => ({
    type: 'button',
    action_id: id,
    value: record.code,
    text: { type: 'plain_text', text: t(l, label) },
    ...(style ? { style } : {}),
  });
  const allowed = new Set<string>(allowedActions(record.state));
  const elements: types.Button[] = [];
  if (allowed.has('claim')) elements.push(button(CASE_ACTIONS.claim, 'slack.btn.claim', 'primary'));
  if (allowed.has('reply')) elements.push(button(CASE_ACTIONS.reply, 'slack.btn.reply'));
  // A disclosure clock paused (补正 awaited, consultation running) has no answer period to extend (apply-action.ts).
  const paused = Boolean(view.pauses?.correction || view.pauses?.consultation);
  if (allowed.has('extend') && !record.extended && !paused) elements.push(button(CASE_ACTIONS.extend, 'slack.btn.extend'));
  if (allowed.has('close')) elements.push(button(CASE_ACTIONS.close, 'slack.btn.close', 'danger'));
  if (allowed.has('unreachable')) elements.push(button(CASE_ACTIONS.unreachable, 'slack.btn.unreachable'));
  // 第三十六条（五）: a disclosure request for another agency's information is answered, never returned (apply-action.ts).
  if (allowed.has('return') && record.type !== 'disclosure') elements.push(button(CASE_ACTIONS.return, 'slack.btn.return'));
  if (allowed.has('withdraw')) elements.push(button(CASE_ACTIONS.withdraw, 'slack.btn.withdraw'));
  if (view.reviewable && record.state === 'closed') elements.push(button(CASE_ACTIONS.review, 'slack.btn.review'));
  if (view.appealable && record.state === 'closed') elements.push(button(CASE_ACTIONS.appeal, 'slack.btn.appeal'));
  if (view.ratable && record.state === 'closed') elements.push(button(CASE_ACTIONS.rate, 'slack.btn.rate', 'primary'));
  if (view.reopenable && record.state === 'closed') elements.push(button(CASE_ACTIONS.reopen, 'slack.btn.reopen'));
  if (record.type === 'disclosure' && isOpen(record)) {
    const { correctionAskedAt, consultation } = view.pauses ?? {};
    // 第三十条: one 补正 per request (一次性告知); once asked, answered or not, the button is gone.
    if (!correctionAskedAt && withinCorrectionWindow(record, view)) elements.push(button(CASE_ACTIONS.correct, 'slack.btn.correct'));
    // 第三十条: the corrected request may come by post or in person, not only in the chat: staff record the day it came.
    if (view.pauses?.correction) elements.push(button(CASE_ACTIONS.corrected, 'slack.btn.corrected', 'primary'));
    elements.push(consultation ? button(CASE_ACTIONS.consulted, 'slack.btn.consulted', 'primary') : button(CASE_ACTIONS.consult, 'slack.btn.consult'));
  }
  return { type: 'actions', block_id: `case:${record.code}`, elements };
}

/** One thread line for a case event: transitions, replies, ratings; citizen text masked and escaped. */
/** `record`: the case (an `undelivered` line says how else to reach the citizen). */
/** `phones: 'full'`: the audited /case CODE detail, where a call-back number the parent sent later must be readable. */
export function historyLine(
  event: CaseEventRecord,
  view: { locale: Locale; timeZone: string },
  record?: Pick<CaseRecord, 'code' | 'contact'>,
  phones: 'masked' | 'full' = 'masked',
): string {
  const l = view.locale;
  const actor = actorText(event.actor, l);
  const at = localDateTime(event.at, view.timeZone);
  const fromCitizen = event.kind === 'followup' || event.kind === 'correction_received';
  // Whole: a long follow-up or reply is split by whoever posts the line (pageLines, the thread's postLine), never cut.
  const note = event.note ? citizenText(event.note, Number.POSITIVE_INFINITY, fromCitizen ? phones : 'masked') : '';
  switch (event.kind) {
    case 'followup':
      return t(l, 'slack.history.followup', { at, text: note });
    case 'reply':
      // A phone / letter case: the answer was given by staff, the bot sent nothing (case_events.via).
      return event.via ? t(l, 'slack.history.replyVia', { at, actor, via: event.via, text: note }) : t(l, 'slack.history.reply', { at, actor, text: note });
    case 'note':
      return t(l, 'slack.history.note', { at, actor, text: note });
    case 'rated': // the case desk writes "stars5:2 不满意": staff read "★★☆☆☆ 不满意"; `via`: staff recorded how it was given
      return event.via
        ? t(l, 'slack.history.ratedVia', { at, actor, via: event.via, text: escapeMrkdwn(ratingText(event.note)) })
        : t(l, 'slack.history.rated', { at, text: escapeMrkdwn(ratingText(event.note)) });
    case 'created':
      return t(l, 'slack.history.created', { at, actor });
    case 'deadline':
      return t(l, 'slack.history.deadline', { at, text: note });
    case 'correction_requested':
    case 'correction_received':
    case 'correction_undelivered':
    case 'consultation_started':
    case 'consultation_ended':
      return t(l, `slack.history.${event.kind}`, { at, actor, text: note });
    case 'context':
      return t(l, 'slack.history.context', { text: note });
    case 'contact': // the phone the parent gave after filing: the note holds it masked; the card shows the contact
      return t(l, 'slack.history.contact', { at, text: note });
    case 'undelivered': // a message to the citizen of a closed case did not arrive: staff must reach them another way
      return `${at} :warning: ${record ? escapeMrkdwn(undeliveredLine(record, event, l)) : note}`;
    case 'acceptance_notice': // 信访 受理告知 given by staff outside the bot
      return t(l, 'slack.history.acceptanceNotice', { at, actor, via: event.via ?? '-' });
    case 'appeal': // 行政复议 / 行政诉讼 against a disclosure answer (disclosure_appeals); the note carries its line
      return t(l, 'slack.history.appeal', { at, actor, text: note || '-' });
    case 'review': // 信访 复查 / 复核 logged by staff: the decision itself is on the card (case_reviews)
      return t(l, 'slack.history.review', { at, actor, text: note || '-' });
    default: {
      const to = event.toState ? stateLabel(l, event.toState) : '';
      // The citizen answered on a 联系不上 case (desk-filing.ts backInTouch): it is open again, say so plainly.
      if (event.kind === 'transition' && event.actor === 'citizen' && event.fromState === 'unreachable')
        return t(l, 'slack.history.backInTouch', { at, to });
      const base = t(l, 'slack.history.transition', { at, actor, to }) + (event.via ? t(l, 'slack.history.via', { via: event.via }) : '');
      return note ? `${base}：${note}` : base;
    }
  }
}

export function actorText(actor: string, l: Locale): string {
  if (actor.startsWith('slack:')) return `<@${actor.slice(6)}>`;
  return escapeMrkdwn(actorLabel(l, actor));
}

/**
 * Groups mrkdwn lines into section blocks of ≤ 3000 characters and pages of ≤ 50 blocks. A line longer than a section
 * (a citizen's 4,000-character follow-up, escaped) takes several sections in a row, split whole (splitMrkdwn).
 */
export function pageLines(lines: string[], heading: string, maxBlocks: number = LIMITS.blocksPerMessage): types.KnownBlock[][] {
  const max = LIMITS.sectionText - 100;
  const sections: string[] = [];
  let current = '';
  for (const raw of lines) {
    const pieces = splitMrkdwn(raw, max);
    const last = pieces.pop()!;
    if (pieces.length > 0 && current) {
      sections.push(current);
      current = '';
    }
    sections.push(...pieces);
    if (pieces.length > 0) {
      current = last;
      continue;
    }
    if (current && current.length + last.length + 1 > max) {
      sections.push(current);
      current = '';
    }
    current = current ? `${current}\n${last}` : last;
  }
  if (current) sections.push(current);
  const pages: types.KnownBlock[][] = [];
  const perPage = maxBlocks - 1;
  for (let i = 0; i < Math.max(sections.length, 1); i += perPage) {
    const page: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: heading } }];
    for (const text of sections.slice(i, i + perPage)) page.push({ type: 'section', text: { type: 'mrkdwn', text } });
    pages.push(page);
  }
  return pages;
}
