import type { types } from '@slack/bolt';
import { DELIVERY_FORMS, DELIVERY_METHODS } from '../../core/cases/disclosure.js';
import { ID_TYPES } from '../../core/cases/identity.js';
import { botCanReach } from '../../core/cases/answer-way.js';
import { ANSWER_WAYS, type CaseRecord } from '../../core/cases/types.js';
import { REVIEW_LEVELS, REVIEW_OUTCOMES, WITHDRAWN_OUTCOME, type ReviewLevel } from '../../core/cases/reviews.js';
import { t } from '../../core/i18n/index.js';
import { channelLabel, typeLabel } from '../../core/i18n/labels.js';
import { CASE_TYPES, type Locale } from '../../core/types.js';
import { citizenText, escapeMrkdwn, localDate, truncate } from './mrkdwn.js';
import {
  APPLICANT_TYPES,
  DISCLOSURE_CATEGORIES,
  DISCLOSURE_CHANNELS,
  DISCLOSURE_RESULTS,
  OFFLINE_CHANNELS,
  disclosureResultValue,
} from './options.js';
import { DRAFT_VALUE } from './learned-drafts.js';
import { BACKFILL_VALUE } from './submissions.js';
import { CLOSE_BASIS_OPTIONS } from './submissions.js';
import { VIEWS } from './types.js';

/** Modals of the staff desk. Block ids double as field names in the submission parser. */

const plain = (text: string) => ({ type: 'plain_text' as const, text: truncate(text, 24) });

export function modal(l: Locale, callbackId: string, title: string, blocks: types.KnownBlock[], metadata = ''): types.ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: metadata,
    title: plain(t(l, title)),
    submit: plain(t(l, 'slack.modal.submit')),
    close: plain(t(l, 'slack.modal.cancel')),
    blocks,
  };
}

export function textInput(blockId: string, label: string, opts: { multiline?: boolean; optional?: boolean; max?: number; initial?: string } = {}): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    optional: opts.optional ?? false,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'plain_text_input',
      action_id: 'value',
      multiline: opts.multiline ?? false,
      ...(opts.max ? { max_length: opts.max } : {}),
      ...(opts.initial ? { initial_value: opts.initial } : {}),
    },
  };
}

function select(blockId: string, label: string, options: { text: string; value: string }[]): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'static_select',
      action_id: 'value',
      options: options.map((o) => ({ text: { type: 'plain_text', text: truncate(o.text, 75) }, value: o.value })),
    },
  };
}

function caseTextSection(record: CaseRecord, l: Locale): types.KnownBlock {
  const text = t(l, 'slack.modal.reply.caseText', { code: record.code, text: citizenText(record.text, 2500) });
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

export function replyModal(record: CaseRecord, l: Locale): types.ModalView {
  return modal(l, VIEWS.reply, 'slack.modal.reply.title', [
    caseTextSection(record, l),
    // A phone / letter / 民心网 case: nothing can be sent, staff record the answer they gave and how (answer-way.ts).
    ...(botCanReach(record)
      ? [textInput('reply', t(l, 'slack.modal.reply.label'), { multiline: true, max: 3000 })]
      : [textInput('reply', t(l, 'slack.modal.reply.labelOffline'), { multiline: true, max: 3000 }), wayOptions('via', t(l, 'slack.modal.reply.via'), false)]),
  ], record.code);
}

/**
 * 认领 of a 信访 case without a chat whose 受理告知 is not recorded yet (《信访条例》第二十二条): the way staff told the
 * petitioner, optional (they may not have yet: `/case notified` records it later), so one step records both.
 */
export function claimModal(record: CaseRecord, l: Locale): types.ModalView {
  return modal(l, VIEWS.claim, 'slack.modal.claim.title', [caseTextSection(record, l), wayOptions('via', t(l, 'slack.modal.claim.via'), true)], record.code);
}

export function extendModal(record: CaseRecord, l: Locale): types.ModalView {
  return modal(l, VIEWS.extend, 'slack.modal.extend.title', [
    caseTextSection(record, l),
    textInput('reason', t(l, 'slack.modal.extend.label'), { multiline: true, max: 500 }),
    textInput('approver', t(l, 'slack.modal.extend.approver'), { max: 100 }),
    ...(botCanReach(record) ? [] : [wayOptions('via', t(l, 'slack.modal.extend.via'), false)]),
  ], record.code);
}

/** 退单: the reason the citizen is told (cases.returned); a case without a chat also says how they were told. */
export function returnModal(record: CaseRecord, l: Locale): types.ModalView {
  return modal(l, VIEWS.return, 'slack.modal.return.title', [
    caseTextSection(record, l),
    textInput('reason', t(l, 'slack.modal.return.label'), { multiline: true, max: 2000 }),
    ...(botCanReach(record) ? [] : [wayOptions('via', t(l, 'slack.modal.return.via'), false)]),
  ], record.code);
}

/** 撤回 the citizen made outside the chat: how it reached the bureau (required) and a note for the record. */
export function withdrawModal(record: CaseRecord, l: Locale): types.ModalView {
  return modal(l, VIEWS.withdraw, 'slack.modal.withdraw.title', [
    caseTextSection(record, l),
    wayOptions('via', t(l, 'slack.modal.withdraw.via'), false),
    textInput('note', t(l, 'slack.modal.withdraw.note'), { multiline: true, optional: true, max: 2000 }),
  ], record.code);
}

/** `offerDraft`: the case came from an unanswered question and the desk knows the knowledge folder (learned-drafts.ts). */
export function closeModal(record: CaseRecord, l: Locale, offerDraft = false): types.ModalView {
  // What the parent reads: required unless they already got a reply (src/core/cases/close-rules.ts).
  const blocks: types.KnownBlock[] = [
    caseTextSection(record, l),
    textInput('note', t(l, record.repliedAt ? 'slack.modal.close.labelReplied' : 'slack.modal.close.label'), { multiline: true, max: 2000, optional: Boolean(record.repliedAt) }),
    optionalSelect('basis', t(l, 'slack.modal.close.basis'), CLOSE_BASIS_OPTIONS.map((b) => ({ text: t(l, `slack.modal.close.basis.${b}`), value: b }))),
    textInput('duplicate', t(l, 'slack.modal.close.duplicate'), { optional: true, max: 40 }),
  ];
  if (!botCanReach(record)) blocks.push(wayOptions('via', t(l, 'slack.modal.close.via'), true));
  if (offerDraft) blocks.push(draftCheckbox(l));
  if (record.type === 'disclosure') {
    const applicant = select('applicant', t(l, 'slack.modal.close.applicant'), APPLICANT_TYPES.map((a) => ({ text: a, value: a })));
    // Taken at intake (第二十九条): preselected, staff can still correct it.
    if (record.applicantType && applicant.element.type === 'static_select')
      applicant.element.initial_option = { text: { type: 'plain_text', text: record.applicantType }, value: record.applicantType };
    blocks.push(applicant);
    blocks.push(
      select(
        'result',
        t(l, 'slack.modal.close.result'),
        DISCLOSURE_RESULTS.map((r) => ({ text: r.group ? `${r.group.slice(0, 3)} ${r.row}` : r.row, value: disclosureResultValue(r) })),
      ),
    );
  }
  return modal(l, VIEWS.close, 'slack.modal.close.title', blocks, record.code);
}

/** 电话 / 书面 / 当面 / 民心网: how an answer reached a citizen the bot cannot write to. */
function wayOptions(blockId: string, label: string, optional: boolean): types.InputBlock {
  const options = ANSWER_WAYS.map((w) => ({ text: w, value: w }));
  return optional ? optionalSelect(blockId, label, options) : select(blockId, label, options);
}

function optionalSelect(blockId: string, label: string, options: { text: string; value: string }[]): types.InputBlock {
  return { ...select(blockId, label, options), optional: true };
}

function draftCheckbox(l: Locale): types.InputBlock {
  return {
    type: 'input',
    block_id: 'draft',
    optional: true,
    label: { type: 'plain_text', text: t(l, 'slackKb.draftLabel') },
    element: {
      type: 'checkboxes',
      action_id: 'value',
      options: [
        {
          text: { type: 'plain_text', text: t(l, 'slackKb.draftOption') },
          description: { type: 'plain_text', text: truncate(t(l, 'slackKb.draftHint'), 75) },
          value: DRAFT_VALUE,
        },
      ],
    },
  };
}

export function newCaseModal(l: Locale, now: Date, timeZone: string): types.ModalView {
  const date: types.InputBlock = {
    type: 'input',
    block_id: 'date',
    label: { type: 'plain_text', text: t(l, 'slack.modal.new.date') },
    element: { type: 'datepicker', action_id: 'value', initial_date: localDate(now, timeZone) },
  };
  const time: types.InputBlock = {
    type: 'input',
    block_id: 'time',
    label: { type: 'plain_text', text: t(l, 'slack.modal.new.time') },
    element: { type: 'timepicker', action_id: 'value', initial_time: '09:00' },
  };
  return modal(l, VIEWS.newCase, 'slack.modal.new.title', [
    select('channel', t(l, 'slack.modal.new.channel'), OFFLINE_CHANNELS.map((c) => ({ text: channelLabel(l, c), value: c }))),
    select('type', t(l, 'slack.modal.new.type'), CASE_TYPES.map((c) => ({ text: typeLabel(l, c), value: c }))),
    textInput('text', t(l, 'slack.modal.new.text'), { multiline: true, max: 3000 }),
    textInput('contact', t(l, 'slack.modal.new.contact'), { optional: true, max: 100 }),
    textInput('name', t(l, 'slack.modal.new.name'), { optional: true, max: 50 }),
    textInput('ref', t(l, 'slack.modal.new.ref'), { optional: true, max: 100 }),
    // 第二十九条: a 政府信息公开申请 logged from a phone call or letter carries the applicant type and 身份证明 (submissions.ts).
    optionalSelect('applicant', t(l, 'slack.modal.new.applicant'), APPLICANT_TYPES.map((a) => ({ text: a, value: a }))),
    optionalSelect('idType', t(l, 'slack.modal.new.idType'), ID_TYPES.map((a) => ({ text: a, value: a }))),
    textInput('idNumber', t(l, 'slack.modal.new.idNumber'), { optional: true, max: 40 }),
    // 第二十九条（三）形式要求: the form of the information and the way it reaches the applicant (address for post / e-mail).
    optionalSelect('form', t(l, 'slack.modal.new.form'), DELIVERY_FORMS.map((a) => ({ text: a, value: a }))),
    optionalSelect('method', t(l, 'slack.modal.new.method'), DELIVERY_METHODS.map((a) => ({ text: a, value: a }))),
    textInput('address', t(l, 'slack.modal.new.address'), { optional: true, max: 300 }),
    date,
    time,
    backfillCheckbox(l),
  ]);
}

/** Ticked to log a request whose legal deadline passed before it was logged (submissions.ts parseNewCase). */
function backfillCheckbox(l: Locale): types.InputBlock {
  return {
    type: 'input',
    block_id: 'backfill',
    optional: true,
    label: { type: 'plain_text', text: t(l, 'slack.modal.new.backfill') },
    element: { type: 'checkboxes', action_id: 'value', options: [{ text: { type: 'plain_text', text: t(l, 'slack.modal.new.backfillOption') }, value: BACKFILL_VALUE }] },
  };
}

export function discloseModal(l: Locale, now: Date, timeZone: string): types.ModalView {
  return modal(l, VIEWS.disclose, 'slack.modal.disclose.title', [
    textInput('title', t(l, 'slack.modal.disclose.titleLabel'), { max: 200 }),
    select('category', t(l, 'slack.modal.disclose.category'), DISCLOSURE_CATEGORIES.map((c) => ({ text: c, value: c }))),
    select('channel', t(l, 'slack.modal.disclose.channel'), DISCLOSURE_CHANNELS.map((c) => ({ text: c, value: c }))),
    {
      type: 'input',
      block_id: 'date',
      label: { type: 'plain_text', text: t(l, 'slack.modal.disclose.date') },
      element: { type: 'datepicker', action_id: 'value', initial_date: localDate(now, timeZone) },
    },
    textInput('url', t(l, 'slack.modal.disclose.url'), { optional: true, max: 1000 }),
  ]);
}

/** 要求补正 (第三十条): what is missing goes to the applicant. */
export function correctModal(record: CaseRecord, l: Locale): types.ModalView {
  return modal(l, VIEWS.correct, 'slack.modal.correct.title', [
    caseTextSection(record, l),
    textInput('missing', t(l, 'slack.modal.correct.label'), { multiline: true, max: 1000 }),
    ...(botCanReach(record) ? [] : [wayOptions('via', t(l, 'slack.modal.extend.via'), true)]),
  ], record.code);
}

/** 补正已收到 (第三十条): the day the corrected request arrived (default today) and what it brought, for the record. */
export function correctedModal(record: CaseRecord, l: Locale, today: string, asked: string | null): types.ModalView {
  const date: types.InputBlock = {
    type: 'input',
    block_id: 'date',
    label: { type: 'plain_text', text: t(l, 'slack.modal.corrected.date') },
    element: { type: 'datepicker', action_id: 'value', initial_date: today },
  };
  return modal(l, VIEWS.corrected, 'slack.modal.corrected.title', [
    caseTextSection(record, l),
    ...(asked ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: truncate(t(l, 'slack.modal.corrected.asked', { text: citizenText(asked, 1000) }), 2900) }] }] : []),
    date,
    textInput('text', t(l, 'slack.modal.corrected.text'), { multiline: true, optional: true, max: 1000 }),
  ], record.code);
}

/** 征求第三方意见 (第三十二条、第三十三条): who is consulted, for the record only. */
export function consultModal(record: CaseRecord, l: Locale): types.ModalView {
  return modal(l, VIEWS.consult, 'slack.modal.consult.title', [
    caseTextSection(record, l),
    textInput('party', t(l, 'slack.modal.consult.label'), { max: 200 }),
  ], record.code);
}

/** What the 复查 / 复核 modal is opened with: the written reply's day, the default body, and a pending request to decide. */
export interface ReviewModalContext {
  /** The closing day (the written reply), local. */
  closedOn: string;
  /** BUREAU_SUPERIOR: prefilled as the deciding body of a 复查. */
  superior: string;
  /** The stage preselected: the pending request's, else the step after the last decision. */
  level: ReviewLevel;
  /** A request recorded without its decision: its line is shown and its day and body prefilled. */
  pending?: { line: string; requestedOn: string; requestReceivedOn: string; body: string };
}

/**
 * 信访 复查 / 复核 (《信访条例》第三十四条、第三十五条) of a closed case: stage, result (empty = decision not yet made:
 * recorded pending, due 30 日 after the request), request and decision dates as date pickers, deciding body, note.
 * Submitted through the same desk call as `/case review CODE …` (review-entry.ts).
 */
export function reviewModal(record: CaseRecord, l: Locale, c: ReviewModalContext): types.ModalView {
  const option = (text: string, value: string) => ({ text: { type: 'plain_text' as const, text: truncate(text, 75) }, value });
  const levels = REVIEW_LEVELS.map((v) => option(t(l, `slack.modal.review.level.${v}`), v));
  const stage: types.InputBlock = {
    type: 'input', block_id: 'level', label: { type: 'plain_text', text: t(l, 'slack.modal.review.level') },
    element: { type: 'static_select', action_id: 'value', options: levels, initial_option: levels.find((o) => o.value === c.level) },
  };
  const outcome = optionalSelect('outcome', t(l, 'slack.modal.review.outcome'), [
    ...REVIEW_OUTCOMES.map((o) => ({ text: o, value: o })),
    { text: t(l, 'slack.modal.review.withdrawn'), value: WITHDRAWN_OUTCOME },
  ]);
  const datePicker = (blockId: string, label: string, optional: boolean, initial?: string): types.InputBlock => ({
    type: 'input', block_id: blockId, optional, label: { type: 'plain_text', text: label },
    element: { type: 'datepicker', action_id: 'value', ...(initial ? { initial_date: initial } : {}) },
  });
  const intro = t(l, 'slack.modal.review.intro', { code: record.code, closed: c.closedOn });
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: intro } },
    ...(c.pending ? [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: truncate(t(l, 'slack.modal.review.pending', { line: escapeMrkdwn(c.pending.line) }), 2900) }] }] : []),
    stage,
    outcome,
    datePicker('requested', t(l, 'slack.modal.review.requested'), false, c.pending?.requestedOn),
    // The body's 30 日 count from its receipt of the request (第三十四条): asked only where it differs (a posted request).
    datePicker('requestReceived', t(l, 'slack.modal.review.requestReceived'), true,
      c.pending && c.pending.requestReceivedOn !== c.pending.requestedOn ? c.pending.requestReceivedOn : undefined),
    datePicker('decided', t(l, 'slack.modal.review.decided'), true),
    // BUREAU_SUPERIOR decides a 复查; a 复核 is decided by the body above it, which staff must name (not prefilled).
    textInput('body', t(l, 'slack.modal.review.body'), { max: 60, initial: c.pending?.body ?? (c.level === 'review' ? c.superior : undefined) }),
    textInput('note', t(l, 'slack.modal.review.note'), { multiline: true, optional: true, max: 2000 }),
  ];
  return modal(l, VIEWS.review, 'slack.modal.review.title', blocks, record.code);
}
