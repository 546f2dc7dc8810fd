import type { CaseState, CaseType, ChannelName, Locale, Reply } from '../types.js';
import type { CaseOutcome, OutcomeDay } from '../../storage/case-outcome.js';

/** A petition case as the core sees it. Dates are ISO-8601 strings; `deadlineOn` is YYYY-MM-DD in TIMEZONE. */
export interface CaseRecord {
  id: number;
  code: string; // XH-2026-000123
  type: CaseType;
  channel: ChannelName;
  state: CaseState;
  text: string;
  contact: string | null;
  citizenName: string | null;
  chatId: string | null; // where the bot can answer (telegram / console), else null
  citizenRef: string | null; // platform user id, or an external reference (民心网 number)
  locale: Locale;
  assignee: string | null; // 'slack:U123' / 'console'
  handoff: boolean; // opened by "转人工": the bot stays quiet while it is open
  sourceMessageId: number | null; // the unanswered question it came from
  receivedAt: string;
  claimedAt: string | null;
  deadlineOn: string | null;
  deadlineEstimated: boolean;
  extended: boolean;
  extensionReason: string | null;
  /** Who approved the extension (负责人同意/批准, 政府信息公开条例 第三十三条, 信访条例 第三十三条). */
  extensionApprovedBy?: string | null;
  repliedAt: string | null;
  closedAt: string | null;
  closeNote: string | null;
  unreachable: boolean;
  /** 政府信息公开申请 only, set on close: the annual report's table 三 result row and applicant type. */
  disclosureResult?: string | null;
  applicantType?: string | null;
  /** How the case was closed (see CLOSE_BASES); null while open. */
  closeBasis?: CloseBasis | null;
  /** Closed as a duplicate: the code of the case it repeats. */
  duplicateOf?: string | null;
  /** 政府信息公开申请 (第二十九条): 纸质/电子, 邮寄/自取/电子邮件, and the postal address or e-mail it goes to. */
  deliveryForm?: string | null;
  deliveryMethod?: string | null;
  deliveryAddress?: string | null;
  /** 第二十九条 身份证明: document type (identity.ts ID_TYPES) and its normalised number; personal data, shown masked. */
  applicantIdType?: string | null;
  applicantIdNumber?: string | null;
  /** 信访 受理告知 (《信访条例》第二十二条): when the citizen was told the case was accepted; null = not yet. */
  acceptanceNoticeAt?: string | null;
  /** How staff told a citizen without a chat (ANSWER_WAYS); null when the bot's message was the notice. */
  acceptanceNoticeVia?: string | null;
  /** When its personal data was erased (the citizen's 删除我的数据, or the retention purge); null while kept. */
  anonymisedAt?: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Why a case may be closed (issue 15: no case closed unanswered):
 *   answered      – after a reply the parent received (the close note, if any, is shown to them too);
 *   message       – the closing note is the answer, shown to the parent;
 *   duplicate     – it repeats another case (duplicateOf), answered there;
 *   not-processed – 不予处理, with the reason shown to the parent (第三十九条 for disclosure requests);
 *   unreachable   – the parent could not be reached (after 联系不上诉求人).
 * Withdrawn cases end in `withdrawn`, not here.
 */
export const CLOSE_BASES = ['answered', 'message', 'duplicate', 'not-processed', 'unreachable'] as const;
export type CloseBasis = (typeof CLOSE_BASES)[number];

export interface CaseEventRecord {
  id: number;
  caseId: number;
  at: string;
  actor: string; // 'citizen' | 'system' | 'slack:U123' | 'console' | 'cli'
  kind:
    | 'created' | 'transition' | 'followup' | 'reply' | 'note' | 'context' | 'rated' | 'deadline'
    // the phone the citizen gave in the chat after filing without one (desk-contact.ts); the note holds it masked
    | 'contact'
    // disclosure clock pauses (src/core/deadlines/pauses.ts)
    | 'correction_requested' | 'correction_received' | 'consultation_started' | 'consultation_ended'
    // the 补正告知 never reached the applicant: that request is void, the clock runs on as if it had not been asked (review17 #17)
    | 'correction_undelivered'
    // 信访 受理告知 recorded by staff for a case without a chat (via says how)
    | 'acceptance_notice'
    // 信访 复查 / 复核 decision (or repeat complaint after 复核) logged by staff; details in case_reviews
    | 'review'
    // 行政复议 / 行政诉讼 against a disclosure answer, recorded by staff; details in disclosure_appeals
    | 'appeal'
    // a message to the citizen was not delivered on a case past 联系不上 (closed, withdrawn): staff must reach them another way
    | 'undelivered';
  fromState: CaseState | null;
  toState: CaseState | null;
  note: string | null;
  /** How an answer reached a citizen the bot cannot write to (ANSWER_WAYS); null when the bot delivered it. */
  via?: string | null;
}

/**
 * How staff answered a citizen outside the bot: a phone, letter, visit or 民心网 case has no chat the reply
 * could go to, so a reply or closing message on it records the way it was given to the citizen.
 */
export const ANSWER_WAYS = ['电话', '书面', '当面', '民心网'] as const;
export type AnswerWay = (typeof ANSWER_WAYS)[number];

export interface FileCaseInput {
  type: CaseType;
  channel: ChannelName;
  text: string;
  contact?: string | null;
  citizenName?: string | null;
  chatId?: string | null;
  citizenRef?: string | null;
  locale?: Locale;
  /** When the bureau received it (phone / 民心网 / letter logged later); defaults to now. */
  receivedAt?: Date;
  handoff?: boolean;
  sourceMessageId?: number | null;
  /** Same key twice → the first case is returned, nothing new is written (retries, redelivered updates). */
  idempotencyKey?: string;
  /** Recent conversation lines shown to staff (handoff context). */
  context?: string[];
  /** 政府信息公开申请 intake (第二十九条): table 三 applicant type and the delivery the applicant asked for. */
  applicantType?: string | null;
  deliveryForm?: string | null;
  deliveryMethod?: string | null;
  deliveryAddress?: string | null;
  /** 第二十九条 身份证明: checked (type fits the applicant, check character) and normalised by the desk. */
  applicantIdType?: string | null;
  applicantIdNumber?: string | null;
  /**
   * Default true: the 'filed' message (code + deadline) is queued in the outbox for the case's chat.
   * Pass false when the caller shows it itself in the same turn (desk.citizenMessage(record, createdEvent)).
   */
  notifyCitizen?: boolean;
  actor: string;
}

/** What staff (or the citizen, for withdraw) can do to a case. */
export type CaseAction =
  /** `via` (信访 case without a chat): how staff told the citizen it was accepted (受理告知, 第二十二条). */
  | { kind: 'claim'; via?: AnswerWay }
  /** `via`: required when the bot cannot reach the citizen (botCanReach): the way staff gave this answer. */
  | { kind: 'reply'; text: string; via?: AnswerWay }
  /**
   * `approvedBy`: the 负责人 who approved the extension (required, recorded). `via`: how a citizen without a chat
   * was told (第三十三条 "告知申请人"; 信访: "告知信访人延期理由").
   */
  | { kind: 'extend'; reason: string; approvedBy?: string; via?: AnswerWay }
  | {
      kind: 'close';
      /** Shown to the parent (the closing answer, or the reason for duplicate / 不予处理 / unreachable). */
      note: string;
      /** Default: 'answered' when the case was replied to since it was (re)opened, else 'message'. */
      basis?: CloseBasis;
      duplicateOf?: string;
      /** For 政府信息公开申请: the leaf result row and applicant type of the annual report's table 三. */
      disclosureResult?: string;
      applicantType?: string;
      /** The way the closing message / reason reached a citizen the bot cannot write to (see reply). */
      via?: AnswerWay;
    }
  /** 退单, with the reason the citizen is told; `via`: how a citizen without a chat was told (required then). */
  | { kind: 'return'; reason: string; via?: AnswerWay }
  | { kind: 'unreachable'; note?: string } // 联系不上诉求人
  /** 撤回. Recorded by staff: `via` is how the citizen withdrew (电话, 书面 …), required for a case without a chat. */
  | { kind: 'withdraw'; note?: string; via?: AnswerWay }
  | { kind: 'reopen'; note?: string };

export interface ActOptions {
  /** Default true; false when the caller shows the citizen message itself in the same turn. */
  notifyCitizen?: boolean;
}

/**
 * How a rating staff record was given (review17 #15): phone, 民心网, letter and visit cases have no chat the bot could
 * ask in; the citizen rates on 民心网, on the 回访 call, in writing or in person.
 */
export const RATING_WAYS = ['民心网', '电话回访', '书面', '当面'] as const;
export type RatingWay = (typeof RATING_WAYS)[number];

/** A rating staff record for a case without a chat: N stars (the 民心网 star level when given there), or null = 未评价. */
export interface RecordedRatingInput {
  value: number | null;
  via: RatingWay;
  /** The day it was given (YYYY-MM-DD in TIMEZONE), not after today nor before the closing day; default today. */
  on?: string;
}

/** Rating: stars from the bot (1..5 by default) or a 民心网 star level, or declined (不参与评星). */
export type RatingInput =
  | { scale: 'stars'; value: number }
  | { scale: 'minxin'; value: number } // 1..6 (一星级…六星级)
  | { declined: true };

/** What the staff desk (Slack or console) is told after a change committed. */
export interface StaffNotice {
  /** 'erased': the case's personal fields were erased (privacy erasure, retention purge); `eventId` 0, no case event. */
  change: 'created' | 'transition' | 'followup' | 'contact' | 'reply' | 'rated' | 'deadline' | 'pause' | 'acceptance' | 'review' | 'appeal' | 'undelivered' | 'erased';
  caseCode: string;
  eventId: number;
}

export interface CaseFilter {
  states?: CaseState[];
  assignee?: string;
  /** Only cases whose shared outcome (storage/case-outcome.ts) on `day` is one of `in` (e.g. openOverdue). */
  outcome?: { day: OutcomeDay; in: CaseOutcome[] };
  /** Only cases answered and not yet closed (待办结, case-outcome.ts AWAITING_CLOSE_SQL). */
  awaitingClose?: boolean;
  dueBy?: string; // YYYY-MM-DD: deadline on or before
  channel?: ChannelName;
  chatId?: string;
  limit?: number;
}

export interface CaseDesk {
  /** Commits the case (and its outbox rows) before resolving. */
  file(input: FileCaseInput): Promise<CaseRecord>;
  /** Applies a lifecycle action; rejects illegal transitions with AppError('case_illegal_transition'). */
  act(code: string, action: CaseAction, actor: string, options?: ActOptions): Promise<{ case: CaseRecord; event: CaseEventRecord }>;
  /** A citizen's further message on an open case (handoff, reply-to). */
  addFollowUp(code: string, text: string, actor?: string): Promise<CaseEventRecord>;
  /** An internal staff note: never sent to the citizen. */
  addNote(code: string, text: string, actor: string): Promise<CaseEventRecord>;
  rate(code: string, rating: RatingInput, actor: string): Promise<void>;
  get(code: string): Promise<CaseRecord | null>;
  list(filter?: CaseFilter): Promise<CaseRecord[]>;
  history(code: string): Promise<CaseEventRecord[]>;
  /** The chat's open cases, oldest first (at most the 20 newest). */
  openCasesOfChat(chat: { channel: ChannelName; chatId: string }): Promise<CaseRecord[]>;
  /** The chat's most recently closed case (by its closing time), or null: one query, however many cases the chat has. */
  latestClosedCaseOfChat(chat: { channel: ChannelName; chatId: string }): Promise<CaseRecord | null>;
  /**
   * The chat's latest reopening by staff (any actor but the citizen) newer than event `after`, among its cases now in
   * `states`; per case only its latest reopening counts. One query: the engine asks it on every turn.
   */
  latestStaffReopening(chat: { channel: ChannelName; chatId: string; states: readonly CaseState[]; after: number }): Promise<{ code: string; eventId: number } | null>;
  /**
   * Whether the citizen's objection would reopen this closed case now, by the rules the reopening itself applies
   * (apply-action.ts): not a 政府信息公开申请, not erased, within REOPEN_DAYS of closing or of a rating of ★★ or less.
   * (A 信访 answered in writing is refused by its 复查 route, which the objection path tells the petitioner.)
   */
  citizenMayReopen(code: string): Promise<boolean>;
  /** The message the citizen gets for an event, or null (notes, follow-ups). Built from the catalogue. */
  citizenMessage(record: CaseRecord, event: CaseEventRecord): Reply | null;
}
