import { m0001Initial } from './0001-initial.js';
import { m0002Telegram } from './0002-telegram.js';
import { m0003Slack } from './0003-slack.js';
import { m0004Jobs } from './0004-jobs.js';
import { m0005AnnualRegisters } from './0005-annual-registers.js';
import { m0006GapGroups } from './0006-gap-groups.js';
import { m0008CaseClosingDisclosureIntake } from './0008-case-closing-and-disclosure-intake.js';
import { m0009Heartbeat } from './0009-heartbeat.js';
import { m0013Instances } from './0013-instances.js';
import { m0010WebChat } from './0010-web-chat.js';
import { m0016InboundClaims } from './0016-inbound-claims.js';
import { m0022ApplicantIdentity } from './0022-applicant-identity.js';
import { m0024AnswerWayApprovalAppendOnly } from './0024-answer-way-approval-append-only.js';
import { m0025ChoiceQuestionLink } from './0025-choice-question-link.js';
import { m0026AcceptanceNotice } from './0026-acceptance-notice.js';
import { m0027PetitionReviews } from './0027-petition-reviews.js';
import { m0029PersonalColumnsNoStatistics } from './0029-personal-columns-no-statistics.js';
import { m0030ErasureRewritesAndDigestPosts } from './0030-erasure-rewrites-and-digest-posts.js';
import { m0031ReviewDecisionDue } from './0031-review-decision-due.js';
import { m0032AppealIdentityAndReviewReceipt } from './0032-appeal-identity-and-review-receipt.js';
import { m0034MonthlyReportPosts } from './0034-monthly-report-posts.js';
import { m0036ErasureJournal } from './0036-erasure-journal.js';
import { m0040RatingWay } from './0040-rating-way.js';
import { m0041RemaskStoredText } from './0041-remask-stored-text.js';
import { m0042PetitionDeadlineRecompute } from './0042-petition-deadline-recompute.js';
import { m0043RemaskPhonesInCaseText } from './0043-remask-phones-in-case-text.js';
import type { Db } from '../db.js';

export interface Migration {
  id: number;
  name: string;
  /** SQLite DDL; write it so ddlToPostgres (pg-sql.ts) can translate it, or give `postgres`. */
  up: string;
  /** PostgreSQL DDL, only where the translation of `up` is not right. */
  postgres?: string;
  /** Rows rewritten by code (both engines), after the DDL, in the same transaction. */
  rewrite?: (tx: Db) => Promise<void>;
}

/** Append only: never edit or reorder an entry that has shipped. */
export const migrations: readonly Migration[] = [
  m0001Initial,
  m0002Telegram,
  m0003Slack,
  m0004Jobs,
  m0005AnnualRegisters,
  m0006GapGroups,
  m0008CaseClosingDisclosureIntake,
  m0009Heartbeat,
  m0010WebChat,
  m0013Instances,
  m0016InboundClaims,
  m0022ApplicantIdentity,
  m0024AnswerWayApprovalAppendOnly,
  m0025ChoiceQuestionLink,
  m0026AcceptanceNotice,
  m0027PetitionReviews,
  m0029PersonalColumnsNoStatistics,
  m0030ErasureRewritesAndDigestPosts,
  m0031ReviewDecisionDue,
  m0032AppealIdentityAndReviewReceipt,
  m0034MonthlyReportPosts,
  m0036ErasureJournal,
  m0040RatingWay,
  m0041RemaskStoredText,
  m0042PetitionDeadlineRecompute,
  m0043RemaskPhonesInCaseText,
];
