/** Why a message joined the unanswered queue. */
export type GapReason = 'low_confidence' | 'refused' | 'not_helpful';

/** One queued question, as read from the messages table. */
export interface GapItem {
  id: number;
  text: string;
  reason: GapReason;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** The entry that was (weakly) answered, if any. */
  entryId: string | null;
  /** The "您是不是想问" choice the parent pressed for this question (the latest), and whether they marked its answer 👎. */
  chosen?: { entryId: string; notHelpful: boolean } | null;
}

/**
 * What the parents themselves picked from "您是不是想问" for a group's questions: the entry picked most
 * often among presses whose answer was not marked 👎 (`helped` presses), else the entry picked most often,
 * with `helped` 0 — the choice did not help, so it is no hint.
 */
export interface ParentChoice {
  entryId: string;
  title: string;
  /** Presses of this entry not marked 👎. */
  helped: number;
  /** Presses of this entry marked 👎. */
  notHelpful: number;
}

/** The knowledge entry that best fits a question today. */
export interface BestMatch {
  id: string;
  title: string;
  score: number;
}

export type BestMatchFn = (text: string) => BestMatch | null;

export type GapStatus = 'open' | 'ignored' | 'resolved';

export interface GapGroup {
  /** Stable key: adopted from an admin's mark, else derived from the leading question. */
  key: string;
  /** The most frequent wording (personal numbers masked). */
  representative: string;
  count: number;
  /** Up to 3 other wordings (masked). */
  examples: string[];
  reasons: Record<GapReason, number>;
  firstAt: string;
  lastAt: string;
  bestMatch: BestMatch | null;
  /** The entry parents chose from "您是不是想问" for these questions, if any (see ParentChoice). */
  parentChoice: ParentChoice | null;
  status: GapStatus;
  resolvedEntryId: string | null;
  resolvedAt: string | null;
  /** Normalised wordings of the members (masked), used to recognise the group later. */
  samples: string[];
  messageIds: number[];
}

/** An admin's decision on a group, stored in gap_groups. */
export interface GapMark {
  key: string;
  status: 'ignored' | 'resolved';
  entryId: string | null;
  resolvedAt: string | null;
  samples: string[];
  markedBy: string;
  markedAt: string;
}
