import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { RatingScales } from '../cases/ratings.js';
import type { CaseDesk, CaseRecord } from '../cases/types.js';
import type { IntentSet } from '../intents/index.js';
import type { EngineStore } from './store.js';

/** The part of a knowledge entry the engine shows (structurally the KB's entry). */
export interface KnowledgeEntryLike {
  id: string;
  title: string;
  updated?: string | null;
  source?: string | null;
  /** The language the entry is written in (front matter `lang`, Chinese when absent). */
  lang?: 'zh' | 'en';
}

export interface KnowledgeHitLike {
  id: string;
  section: string | null;
  score: number;
  entry: KnowledgeEntryLike;
  sectionText: string;
}

export interface KnowledgeAlternative {
  entryId: string;
  section: string | null;
  title: string;
}

/** What `KnowledgeIndex.decide(text)` returns (src/knowledge). */
export type KnowledgeDecisionLike =
  | { kind: 'answer'; best: KnowledgeHitLike; alternatives: KnowledgeAlternative[]; confident: boolean }
  | { kind: 'suggest'; alternatives: KnowledgeAlternative[] }
  | { kind: 'elsewhere'; place: { name: string; full: string; level: 'province' | 'city' | 'area' }; home: string }
  | { kind: 'none' };

export interface KnowledgeIndexLike {
  decide(text: string): KnowledgeDecisionLike;
  /** An entry by id, for the "您是不是想问" buttons. */
  entry?(id: string): (KnowledgeEntryLike & { body: string; sections: { heading: string | null; text: string }[] }) | undefined;
}

export interface KnowledgeSourceLike {
  current(): KnowledgeIndexLike;
}

/** Working-day test for office hours; defaults to the package calendar. */
export interface WorkingDays {
  isWorkingDay(date: string): boolean;
}

export type EngineConfig = Pick<
  Config,
  | 'DEFAULT_LOCALE'
  | 'STAFF_LOCALE'
  | 'TIMEZONE'
  | 'BUREAU_NAME'
  | 'BUREAU_PHONE'
  | 'OFFICE_HOURS'
  | 'HANDOFF_CONTEXT_MESSAGES'
  | 'RETENTION_MESSAGE_DAYS'
  | 'RETENTION_CASE_DAYS'
  | 'RETENTION_CONVERSATION_DAYS'
  | 'REOPEN_DAYS'
>;

export interface EngineDeps {
  store: EngineStore;
  knowledge: KnowledgeSourceLike;
  /** `endHandoff` (when the desk has it) ends a handoff without withdrawing the case. */
  /** `addContact` (when the desk has it) puts a phone given after filing onto the case (late-contact.ts). */
  cases: CaseDesk & { endHandoff?(code: string, actor: string): Promise<unknown>; addContact?(code: string, phone: string, actor?: string): Promise<CaseRecord | null> };
  intents: IntentSet;
  config: EngineConfig;
  logger: Logger;
  now?: () => Date;
  calendar?: WorkingDays;
  /** The stars offered after closing; default rules/rating-scales.yaml. */
  ratingScales?: RatingScales;
}
