import { loadDeadlineRules } from '../../deadlines/rules.js';
import { AppError } from '../../errors.js';
import { CHANNELS, type ChannelName } from '../../types.js';
import { localParts, offsetMinutes, startOfLocalDay } from '../local-time.js';
import type { AnnualFacts, CountBy, RegisterFacts, RequestFacts } from './facts.js';
import { APPLICANT_TYPES, resultKeyOf, type ApplicantType } from './model.js';

/**
 * Turns the storage layer's grouped rows into the year's facts. Refuses
 * (AppError 'report_unbalanced') when a finished 政府信息公开申请 has no or an
 * unknown result, naming the cases; an unrecorded applicant type counts as
 * 自然人 and is reported as a warning.
 *
 * A year is given as local dates (published_on, deadline_on) and UTC instants (*_at
 * columns); `offsetMinutes` turns a stored instant into a local date.
 */
export interface YearBounds {
  year: number;
  fromUtc: string; // local 1月1日 00:00 as UTC ISO
  toUtc: string; // local next 1月1日 00:00 as UTC ISO (exclusive)
  offsetMinutes: number;
  /** Local date the report is drawn up; an open case past its deadline by then is overdue. */
  asOfDate: string;
}

export interface RequestCountRow {
  part: 'received' | 'carriedIn' | 'result' | 'carriedOut';
  applicant: string | null;
  result: string | null;
  state: string;
  n: number;
  /** For results without a recorded result: a few case codes, to tell staff which to fix. */
  codes: string | null;
}

/** Per channel; see annual-report-repo.ts petitionCounts for what each count means. */
export interface PetitionCountRow {
  channel: string;
  n: number;
  finished: number;
  lateFinished: number;
  ended: number;
  carriedOver: number;
  carriedOverdue: number;
  unreachable: number;
  overdue: number;
}

export interface AnnualSource {
  disclosureCounts(b: YearBounds): Promise<{ category: string; channel: string; n: number }[]>;
  requestCounts(b: YearBounds): Promise<RequestCountRow[]>;
  petitionCounts(b: YearBounds): Promise<PetitionCountRow[]>;
  petitionRatings(b: YearBounds): Promise<{ scale: string; value: number | null; label: string; declined: number; n: number }[]>;
  registerFacts(year: number): Promise<RegisterFacts>;
  /**
   * Requests answered late or open past their deadline, and how many of those judged have a deadline
   * still estimated (the year's holiday notice not imported); without it the report makes no timeliness claim.
   */
  requestTimeliness?(b: YearBounds, regimeFromUtc?: string): Promise<{ finished: number; late: number; estimated?: number; straddling?: number }>;
}

export function yearBounds(year: number, tz: string, now: Date): YearBounds {
  const from = startOfLocalDay(`${year}-01-01`, tz);
  return {
    year,
    fromUtc: from.toISOString(),
    toUtc: startOfLocalDay(`${year + 1}-01-01`, tz).toISOString(),
    offsetMinutes: offsetMinutes(from, tz),
    asOfDate: localParts(now, tz).date,
  };
}

const CATEGORY_ORDER = ['重大新闻', '校园快讯', '招生政策', '招生计划', '规范性文件', '其他'];
const CHANNEL_ORDER = ['区政府信息公开平台', '本溪市教育网', '其他'];
const rank = (order: string[], k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
function tally(rows: { key: string; n: number }[], order: string[]): CountBy<string>[] {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.key, (m.get(r.key) ?? 0) + r.n);
  return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => rank(order, a.key) - rank(order, b.key) || b.count - a.count);
}

function requestFacts(rows: RequestCountRow[], warnings: string[]): RequestFacts {
  const facts: RequestFacts = { received: [], carriedIn: [], results: [], carriedOut: [] };
  const problems: string[] = [];
  let untyped = 0;
  const applicantOf = (a: string | null, n: number): ApplicantType => {
    if (a !== null && (APPLICANT_TYPES as readonly string[]).includes(a)) return a as ApplicantType;
    untyped += n;
    return '自然人';
  };
  for (const r of rows) {
    const key = applicantOf(r.applicant, r.part === 'received' || r.part === 'carriedIn' ? r.n : 0);
    if (r.part !== 'result') {
      facts[r.part].push({ key, count: r.n });
      continue;
    }
    const result = r.result === null ? (r.state === 'withdrawn' ? 'other.other' : null) : resultKeyOf(r.result);
    if (result === null)
      problems.push(
        r.result === null
          ? `${r.n} 件已办结的政府信息公开申请未记录办理结果（表三“三、本年度办理结果”），例如 ${r.codes ?? ''}；请在办结时选择办理结果后重新生成。`
          : `${r.n} 件政府信息公开申请的办理结果“${r.result}”不是表三的结果项；请改为表三的结果项之一。`,
      );
    else facts.results.push({ result, applicant: key, count: r.n });
  }
  if (problems.length > 0)
    throw new AppError('report_unbalanced', `年度报告数据不完整，未生成报告：\n  ${problems.join('\n  ')}`, { details: problems });
  if (untyped > 0) warnings.push(`${untyped} 件政府信息公开申请未记录申请人类型，已按“自然人”统计。`);
  return facts;
}

const RATING_RANK = (r: { scale: string; value: number | null; declined: number }) =>
  r.declined ? 1000 : (r.scale === 'minxin' ? 0 : 100) - (r.value ?? 0);
const MINXIN_LEVELS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function ratingLabel(r: { scale: string; value: number | null; label: string; declined: number }): string {
  if (r.declined) return '不参与评星';
  if (r.scale === 'minxin') return r.label.trim() || `${MINXIN_LEVELS[(r.value ?? 1) - 1] ?? r.value}星级`;
  return `${r.value ?? '?'}星评价`;
}

export async function collectAnnualFacts(options: {
  year: number;
  bureau: string;
  serviceGuides: number;
  timezone: string;
  now: Date;
  source: AnnualSource;
  /**
   * The day the current disclosure deadline rule took effect (rules/deadline-rules.yaml `validFrom`, 2019-05-15):
   * requests received before it and answered (or open) after it are judged on the earlier rule, which is unconfirmed.
   */
  disclosureRuleFrom?: string | null;
}): Promise<{ facts: AnnualFacts; warnings: string[] }> {
  const { source } = options;
  const b = yearBounds(options.year, options.timezone, options.now);
  const ruleFrom = options.disclosureRuleFrom === undefined ? loadDeadlineRules().disclosure.validFrom : options.disclosureRuleFrom;
  const ruleFromUtc = ruleFrom ? startOfLocalDay(ruleFrom, options.timezone).toISOString() : undefined;
  const [disclosures, requests, petitions, ratings, registers, timeliness] = await Promise.all([
    source.disclosureCounts(b),
    source.requestCounts(b),
    source.petitionCounts(b),
    source.petitionRatings(b),
    source.registerFacts(options.year),
    source.requestTimeliness?.(b, ruleFromUtc) ?? Promise.resolve(null),
  ]);
  const warnings: string[] = [];
  const sum = (k: keyof Omit<PetitionCountRow, 'channel'>) => petitions.reduce((a, r) => a + r[k], 0);
  const ratingRows = [...ratings].sort((x, y) => RATING_RANK(x) - RATING_RANK(y));
  const ratingTally = new Map<string, number>();
  for (const r of ratingRows) ratingTally.set(ratingLabel(r), (ratingTally.get(ratingLabel(r)) ?? 0) + r.n);
  const facts: AnnualFacts = {
    year: options.year,
    bureau: options.bureau,
    disclosures: {
      total: disclosures.reduce((a, r) => a + r.n, 0),
      byCategory: tally(disclosures.map((r) => ({ key: r.category, n: r.n })), CATEGORY_ORDER),
      byChannel: tally(disclosures.map((r) => ({ key: r.channel, n: r.n })), CHANNEL_ORDER),
    },
    serviceGuides: options.serviceGuides,
    requests: requestFacts(requests, warnings),
    petitions: {
      total: sum('n'),
      byChannel: petitions
        .filter((r) => (CHANNELS as readonly string[]).includes(r.channel))
        .map((r) => ({ key: r.channel as ChannelName, count: r.n })),
      ratings: [...ratingTally].map(([label, count]) => ({ label, count })),
      finished: sum('finished'),
      lateFinished: sum('lateFinished'),
      ended: sum('ended'),
      carriedOver: sum('carriedOver'),
      carriedOverdue: sum('carriedOverdue'),
      unreachable: sum('unreachable'),
      overdue: sum('overdue'),
    },
    registers,
    requestTimeliness: timeliness ? { finished: timeliness.finished, late: timeliness.late } : null,
    asOf: b.asOfDate,
  };
  if (timeliness?.estimated)
    warnings.push(
      `${timeliness.estimated} 件政府信息公开申请的答复期限是按估算日历算的（当年放假安排未导入），“是否在法定期限内答复”据此判断，可能不准：请用 npm run cli -- calendar import 导入国务院办公厅放假通知后重新生成本报告（导入后重启会重算期限）。`,
    );
  if (timeliness?.straddling)
    warnings.push(
      `[U] ${timeliness.straddling} 件政府信息公开申请在 ${ruleFrom} 前收到、在此后才答复（或仍未答复）：本报告按收到之日施行的规定（2007年《政府信息公开条例》第二十四条，15个工作日）判断是否在法定期限内答复；新旧条例对这类申请如何衔接未经确认，请核实后再定稿。`,
    );
  if (facts.petitions.overdue > 0)
    warnings.push(
      `${facts.petitions.overdue} 件群众诉求超期办理：报告中“超期原因及整改措施”为【待本局填写】，数据未记录超期原因或整改情况，请填写后再定稿。` +
        ` / ${facts.petitions.overdue} petition(s) were handled late: the report's "超期原因及整改措施" reads 【待本局填写】 (to be filled in by the bureau); the data records no reason or follow-up, so write them before publishing.`,
    );
  for (const line of registers.mergedAppeals ?? []) warnings.push(line);
  return { facts, warnings };
}
