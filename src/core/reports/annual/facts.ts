import type { ChannelName } from '../../types.js';
import type { ApplicantType, ResultKey } from './model.js';

/**
 * The year's figures, as plain data: what the storage layer (or a test) hands
 * the report builder. Nothing here is derived: totals are computed by the
 * builder and verified by the checks.
 */
export interface CountBy<K extends string> {
  key: K;
  count: number;
}

export interface RequestFacts {
  received: CountBy<ApplicantType>[];
  carriedIn: CountBy<ApplicantType>[];
  results: { result: ResultKey; applicant: ApplicantType; count: number }[];
  carriedOut: CountBy<ApplicantType>[];
}

export interface PetitionFacts {
  /** Non-disclosure cases received in the year (信访, 投诉, 咨询 … via 民心网, phone, the bot …). */
  total: number;
  byChannel: CountBy<ChannelName>[];
  /** Rating labels in display order, e.g. 六星级 1, 五星级 17, 不参与评星 2. */
  ratings: { label: string; count: number }[];
  /** 办结 before the year ended, and how many of them after their deadline. */
  finished: number;
  lateFinished?: number;
  /** 退单 or 撤回 before the year ended (not judged against a deadline). */
  ended?: number;
  /** Neither: 结转下年度继续办理, and how many of them are past their deadline when the report is drawn. */
  carriedOver?: number;
  carriedOverdue?: number;
  unreachable: number;
  /** Late or open past the deadline when the report is drawn (the monthly report's 逾期办结 + 在办（已逾期）). */
  overdue: number;
}

export interface DocCounts {
  issued: number;
  repealed: number;
  inForce: number;
}

export interface RegisterFacts {
  rules: DocCounts; // 规章
  normativeDocs: DocCounts; // 行政规范性文件
  normativeDocTitles: string[]; // issued this year
  licenses: number;
  penalties: number;
  coercions: number;
  feesYuan: number;
  proposals: { category: '政协提案' | '人大建议'; title: string }[];
  /** Four counts each: 结果维持, 结果纠正, 其他结果, 尚未审结. */
  reconsideration: number[];
  directSuit: number[];
  suitAfterReview: number[];
  infoFeesYuan: number;
  infoFeeCount: number;
  projects: { title: string; note: string | null }[];
  /**
   * Register entries of kind review left out of table 四 because an appeal linked to a disclosure request is the
   * same case (appeals.ts sameAppeal): counted once, through the request. One line each, for the report's warnings.
   */
  mergedAppeals?: string[];
}

export interface AnnualFacts {
  year: number;
  bureau: string;
  disclosures: { total: number; byCategory: CountBy<string>[]; byChannel: CountBy<string>[] };
  serviceGuides: number;
  requests: RequestFacts;
  petitions: PetitionFacts;
  registers: RegisterFacts;
  /** Requests judged against their deadline; null/absent = unknown, so no timeliness claim is made. */
  requestTimeliness?: { finished: number; late: number } | null;
  /** Local date the report was drawn up (YYYY-MM-DD); before 31 December the year is not over. */
  asOf?: string;
}

export function emptyRegisterFacts(): RegisterFacts {
  const docs = () => ({ issued: 0, repealed: 0, inForce: 0 });
  return {
    rules: docs(),
    normativeDocs: docs(),
    normativeDocTitles: [],
    licenses: 0,
    penalties: 0,
    coercions: 0,
    feesYuan: 0,
    proposals: [],
    reconsideration: [0, 0, 0, 0],
    directSuit: [0, 0, 0, 0],
    suitAfterReview: [0, 0, 0, 0],
    infoFeesYuan: 0,
    infoFeeCount: 0,
    projects: [],
  };
}
