import type { CaseDeskImpl } from '../../core/cases/desk.js';
import type { CaseDesk } from '../../core/cases/types.js';
import { AppError } from '../../core/errors.js';
import type { TextNormalizer } from '../../core/gaps/similarity.js';
import type { EntryInfo } from '../../core/gaps/stats.js';
import type { BestMatchFn } from '../../core/gaps/types.js';
import type { Locale } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import type { OutboxInstance } from '../shared/outbox-takeover.js';
import { DEFAULT_SLACK_BOUNDS, type SlackBounds } from './bounded.js';

/** One /kb search hit, as the knowledge module reports it. */
export interface KbHit {
  entryId: string;
  title: string;
  section: string | null;
  score: number;
}

/**
 * What a knowledge reload reports: structurally the knowledge service's
 * ReloadReport (src/knowledge/service.ts), so `reload: () => service.reload()`
 * fits as is. A problem is `path:line: message` or the loader's Problem.
 */
export interface ReloadReport {
  entries: number;
  problems: readonly (string | { path: string; line: number; message: string })[];
  /** Ids still served from their previous version because their file is now broken. */
  keptPrevious?: readonly string[];
  /** Total time; else buildMs + swapMs. */
  ms?: number;
  buildMs?: number;
  swapMs?: number;
}

/** Milliseconds a reload took, whichever way it reports them. */
export const reloadMs = (r: ReloadReport): number => Math.round(r.ms ?? (r.buildMs ?? 0) + (r.swapMs ?? 0));

/**
 * The live knowledge base as the admin commands see it (the composition root
 * adapts the knowledge service to this): `/kb reload`, `/kb stats`, `/kb gaps`.
 */
export interface SlackKnowledge {
  reload(): Promise<ReloadReport>;
  /** The live entries (id, title, updated, review_by, section headings), for /kb stats and for checking ENTRY ids. */
  entries(): readonly EntryInfo[];
  /** Best current entry for a gap group's question; groups show no match without it. */
  bestMatch?: BestMatchFn;
  /** The engine's normaliser, so groups match the CLI's keys. */
  normalize?: TextNormalizer;
  /**
   * The entries' files and their questions as loaded: enables "归入…" (teach) in `/kb gaps`, which appends a
   * question to an entry's file and closes the gap once the reloaded entry lists it.
   */
  entryFiles?(): readonly { id: string; title: string; path: string; questions: readonly string[] }[];
}

/**
 * Everything the Slack desk needs, passed in by the composition root.
 * `now` and `workingDaysBetween` are injectable for tests.
 */
export interface SlackDeskDeps {
  db: Db;
  desk: CaseDesk;
  logger: Logger;
  staffChannel: string;
  staffUserIds: readonly string[];
  adminUserIds: readonly string[];
  locale?: Locale;
  timeZone?: string;
  now?: () => Date;
  /** Working days in (from, to], YYYY-MM-DD; 0 when to ≤ from (WorkCalendar.workingDaysBetween). */
  workingDaysBetween?: (from: string, to: string) => number;
  kbSearch?: (text: string, limit: number) => Promise<KbHit[]> | KbHit[];
  /** Enables the admin subcommands `/kb stats`, `/kb gaps`, `/kb reload`. */
  knowledge?: SlackKnowledge;
  /** The knowledge folder: enables "draft a knowledge entry" in the Close modal (drafts go to <dir>/_drafts/). */
  knowledgeDir?: string;
  /** This process among several instances: staff notices are claimed under its owner, and a dead instance's taken over. */
  instance?: OutboxInstance;
  /** How long work before and after an ack may take (bounded.ts); tests give their own timer. */
  bounds?: Partial<SlackBounds>;
}

/** Resolved options with defaults applied. */
export interface SlackDeskContext extends Required<Omit<SlackDeskDeps, 'workingDaysBetween' | 'kbSearch' | 'knowledge' | 'knowledgeDir' | 'instance' | 'bounds'>> {
  instance?: OutboxInstance;
  bounds: SlackBounds;
  workingDaysBetween?: SlackDeskDeps['workingDaysBetween'];
  kbSearch?: SlackDeskDeps['kbSearch'];
  knowledge?: SlackKnowledge;
  knowledgeDir?: string;
}

export function resolveContext(deps: SlackDeskDeps): SlackDeskContext {
  // The real case desk carries its working-day calendar; use it unless told otherwise.
  const calendar = (deps.desk as Partial<{ calendar: { workingDaysBetween(a: string, b: string): number } }>).calendar;
  return {
    ...deps,
    workingDaysBetween: deps.workingDaysBetween ?? (calendar ? (a, b) => calendar.workingDaysBetween(a, b) : undefined),
    locale: deps.locale ?? 'zh',
    timeZone: deps.timeZone ?? 'Asia/Shanghai',
    now: deps.now ?? (() => new Date()),
    bounds: { ...DEFAULT_SLACK_BOUNDS, ...deps.bounds },
  };
}

/** Action ids of the case message buttons; the button value is the case code. */
export const CASE_ACTIONS = {
  claim: 'case_claim',
  reply: 'case_reply',
  extend: 'case_extend',
  close: 'case_close',
  unreachable: 'case_unreachable',
  /** 退单 (not for disclosure requests) and 撤回 a citizen made by phone, letter, visit or 民心网. */
  return: 'case_return',
  withdraw: 'case_withdraw',
  /** Disclosure requests only (《政府信息公开条例》第三十条、第三十三条): the clock pauses. */
  correct: 'case_correct',
  /** The corrected request arrived (by post, in person, …) while a 补正 is awaited: the clock restarts that day. */
  corrected: 'case_corrected',
  consult: 'case_consult',
  consulted: 'case_consulted',
  /** Closed 信访 cases only (《信访条例》第三十四条、第三十五条): record a 复查 / 复核 request or decision. */
  review: 'case_review',
  /** Closed disclosure requests only (《政府信息公开条例》第五十一条): record a 行政复议 / 行政诉讼 or its result. */
  appeal: 'case_appeal',
  /** Closed cases without a chat only (rating-entry.ts): the citizen's rating given on 民心网 / the 回访 call / in writing / in person. */
  rate: 'case_rate',
  /** Closed cases without a chat only, within REOPEN_DAYS: the citizen objected by phone or in person. */
  reopen: 'case_reopen',
} as const;

/** Callback ids of the modals. */
export const VIEWS = {
  reply: 'case_reply_view',
  claim: 'case_claim_view',
  extend: 'case_extend_view',
  close: 'case_close_view',
  return: 'case_return_view',
  withdraw: 'case_withdraw_view',
  newCase: 'case_new_view',
  disclose: 'disclose_view',
  correct: 'case_correct_view',
  corrected: 'case_corrected_view',
  consult: 'case_consult_view',
  review: 'case_review_view',
  appeal: 'case_appeal_view',
  rate: 'case_rate_view',
  reopen: 'case_reopen_view',
} as const;

/** The disclosure clock pauses of the case desk (CaseDeskImpl); a desk without them cannot pause a clock. */
export type ClockDesk = Pick<CaseDeskImpl, 'requestCorrection' | 'receiveCorrection' | 'startConsultation' | 'endConsultation'>;

export function clockDeskOf(ctx: Pick<SlackDeskContext, 'desk'>): ClockDesk {
  const desk = ctx.desk as Partial<ClockDesk>;
  if (!desk.requestCorrection || !desk.receiveCorrection || !desk.startConsultation || !desk.endConsultation)
    throw new AppError('config_invalid', 'This case desk does not support clock pauses (要求补正, 征求第三方意见).');
  return desk as ClockDesk;
}
