import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { isIsoDate, type IsoDate } from '../calendar/dates.js';
import { AppError } from '../errors.js';
import { CASE_TYPES, type CaseType } from '../types.js';
import { projectPath } from '../../project-root.js';

const isoDateString = z.string().refine(isIsoDate, 'must be a date written "YYYY-MM-DD" (quoted)');

/** One type's deadline rule, as written in rules/deadline-rules.yaml (see the comments there). */
export const deadlineRuleSchema = z.object({
  label: z.string().min(1),
  unit: z.enum(['working', 'calendar'], { message: 'unit must be "working" (工作日) or "calendar" (日)' }),
  length: z.number().int().min(1, 'length must be a whole number of days ≥ 1').max(365),
  clockStart: z.enum(['received', 'claimed'], { message: 'clockStart must be "received" or "claimed"' }),
  extension: z.number().int().min(0).max(365).default(0),
  source: z.string().min(1, 'name the rule the limit comes from'),
  /** The day the rule took effect; a case received before it falls under an `earlier` entry. */
  validFrom: isoDateString.optional(),
  /** Set only on a rule ruleInForce picked from `earlier`: its last day in force. */
  validTo: isoDateString.optional(),
  /**
   * Regimes before `validFrom`, oldest first: `validTo` is the last day of each (e.g. the 2007 政府信息公开条例,
   * 2008-05-01 to 2019-05-14: 15 working days + 15). The case's receipt date picks the one that applies.
   */
  earlier: z
    .array(
      z.object({
        validFrom: isoDateString.optional(),
        validTo: isoDateString,
        length: z.number().int().min(1, 'length must be a whole number of days ≥ 1').max(365),
        extension: z.number().int().min(0).max(365).default(0),
        source: z.string().min(1, 'name the rule the limit comes from'),
      }),
    )
    .default([])
    .refine((list) => list.every((e, i) => i === 0 || list[i - 1]!.validTo < e.validTo), 'earlier: list the regimes oldest first'),
  /**
   * 信访 clock only: the written 受理告知 is due this many calendar days after receipt (《信访条例》第二十二条
   * "自收到信访事项之日起15日内书面告知信访人"), counted like `calendar` limits. Absent = no such notice.
   */
  acceptanceNotice: z
    .object({ length: z.number().int().min(1).max(365), source: z.string().min(1, 'name the rule the limit comes from') })
    .optional(),
  /**
   * 信访 clock only: 复查 / 复核 of the written reply (《信访条例》第三十四条、第三十五条; 《信访工作条例》 keeps the
   * 30-day limits). `request`: calendar days after the petitioner received the written reply (复查) or the 复查意见
   * (复核) within which the request must be made; `answer`: days the reviewing body has to answer. Counted like
   * `calendar` limits. Absent = the type's answer carries no 复查 right (12345 types, disclosure requests).
   */
  review: z
    .object({
      request: z.number().int().min(1).max(365),
      answer: z.number().int().min(1).max(365),
      source: z.string().min(1, 'name the rule the limit comes from'),
    })
    .optional(),
  /**
   * Disclosure requests only: the 救济途径 told with the answer (《政府信息公开条例》第五十一条): 行政复议 within
   * `reconsiderationDays` days, 行政诉讼 within `litigationMonths` months of learning of the answer.
   */
  appeal: z
    .object({
      reconsiderationDays: z.number().int().min(1).max(365),
      litigationMonths: z.number().int().min(1).max(60),
      source: z.string().min(1, 'name the rule the limit comes from'),
    })
    .optional(),
});
export type DeadlineRule = z.infer<typeof deadlineRuleSchema>;

/**
 * The rule for a case received on `receivedOn`: the earlier regime whose `validTo` is on or after that day
 * (the first such, entries ordered by date), else the current one. Only length, extension and source change:
 * e.g. a 政府信息公开申请 received before 2019-05-15 has the 2007 条例's 15 + 15 working days (第二十四条).
 */
export function ruleInForce(rule: DeadlineRule, receivedOn: IsoDate): DeadlineRule {
  const earlier = rule.earlier.find((e) => receivedOn <= e.validTo);
  if (!earlier) return rule;
  return { ...rule, length: earlier.length, extension: earlier.extension, source: earlier.source, validFrom: earlier.validFrom, validTo: earlier.validTo };
}
export type DeadlineRules = Record<CaseType, DeadlineRule>;

export const deadlineRulesSchema = z.object({
  rules: z.object(Object.fromEntries(CASE_TYPES.map((t) => [t, deadlineRuleSchema])) as Record<CaseType, typeof deadlineRuleSchema>),
});

/** rules/deadline-rules.yaml in this checkout. */
export const DEFAULT_DEADLINE_RULES_PATH = projectPath('rules', 'deadline-rules.yaml');

export function parseDeadlineRules(raw: unknown, where: string): DeadlineRules {
  const result = deadlineRulesSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${where}: ${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new AppError('rules_invalid', lines.join('\n'), { details: lines });
  }
  return result.data.rules as DeadlineRules;
}

/** Reads and validates the deadline rules; every problem is reported at once. */
export function loadDeadlineRules(path: string = DEFAULT_DEADLINE_RULES_PATH): DeadlineRules {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AppError('rules_invalid', `${path}: cannot read deadline rules: ${(error as Error).message}`, { cause: error });
  }
  return parseDeadlineRules(raw, path);
}
