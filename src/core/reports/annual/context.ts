import type { ChannelName } from '../../types.js';
import type { AnnualFacts, CountBy } from './facts.js';
import type { TemplateContext } from './templates.js';

/**
 * The placeholders templates can use, computed from the year's facts. Lists
 * arrive as ready phrases ("民心网20件、电话9件") that are empty when there is
 * nothing to list, so a template can write `{{#if x}}…{{else}}无…{{/if}}`.
 */
const CHANNEL_LABELS: Record<ChannelName, string> = {
  minxin: '民心网',
  phone: '电话',
  visit: '来访',
  letter: '来信',
  telegram: '网上咨询平台',
  web: '网站在线咨询',
  slack: '工作人员登记',
  // The local console runs the same chat engine as Telegram: a parent's chat, not a counter (窗口) visit.
  console: '网上咨询平台（本地控制台）',
};

const CHANNEL_ORDER: ChannelName[] = ['minxin', 'phone', 'letter', 'visit', 'telegram', 'web', 'console', 'slack'];

function phrase(items: { label: string; count: number }[], unit: string): string {
  return items
    .filter((i) => i.count > 0)
    .map((i) => `${i.label}${i.count}${unit}`)
    .join('、');
}

const byKey = <K extends string>(items: CountBy<K>[], key: K) => items.find((i) => i.key === key)?.count ?? 0;

/** 1.5 → "1.5"; 12000 → "12000"; keeps at most two decimals for 元. */
const money = (yuan: number) => String(Math.round(yuan * 100) / 100);

export function chineseDateRange(year: number): string {
  return `${year}年1月1日至12月31日`;
}

/** "（截至 YYYY-MM-DD）" when the report is drawn up before the year is over, else ''. */
export function asOfMark(year: number, asOf: string | undefined): string {
  return asOf !== undefined && asOf < `${year}-12-31` ? `（截至 ${asOf}）` : '';
}

/**
 * How the year's petitions were handled, for "共N件，…": "均在规定时限内办理，无超期件" only when every one was 办结 in
 * the year and none late; otherwise how many were 办结 (and how many of those late), 撤回或退单, and carried into the
 * next year (尚在办理 while the year is not over), with those already past their deadline.
 */
export function petitionHandlingText(p: AnnualFacts['petitions'], year: number, asOf: string | undefined): string {
  const late = p.lateFinished ?? 0;
  const ended = p.ended ?? 0;
  const carried = p.carriedOver ?? 0;
  const carriedLate = p.carriedOverdue ?? 0;
  if (p.finished === p.total && late === 0 && p.overdue === 0) return '均在规定时限内办理，无超期件';
  const parts: string[] = [];
  if (p.finished > 0) parts.push(late > 0 ? `办结${p.finished}件，其中超期办结${late}件` : `办结${p.finished}件，均在规定时限内办结`);
  else parts.push('尚无办结件');
  if (ended > 0) parts.push(`撤回或退单${ended}件`);
  if (carried > 0) {
    const yearOver = asOf === undefined || asOf >= `${year}-12-31`;
    parts.push(`${yearOver ? '结转下年度继续办理' : '尚在办理'}${carried}件${carriedLate > 0 ? `（其中已超期${carriedLate}件）` : ''}`);
  }
  return parts.join('，');
}

/** The mark a drafted sentence carries where the data holds nothing and the bureau must write the words itself. */
export const TO_FILL = '【待本局填写】';

/**
 * "超期办理N件（其中已办结a件，尚未办结b件）。超期原因及整改措施：【待本局填写】。": only what the data holds. The counts
 * are the shared outcome's (storage/case-outcome.ts: answered late, or no answer past the deadline); no reason for
 * lateness and no follow-up is recorded on a case, so the report does not claim one ("已督促整改" was never in the data).
 */
export function petitionOverdueText(p: AnnualFacts['petitions']): string {
  if (p.overdue === 0) return '';
  const finished = p.lateFinished ?? 0;
  const open = p.overdue - finished;
  const split = finished > 0 && open > 0 ? `（其中已办结${finished}件，尚未办结${open}件）` : open > 0 ? '（均尚未办结）' : '';
  return `超期办理${p.overdue}件${split}。超期原因及整改措施：${TO_FILL}。`;
}

export function buildTemplateContext(facts: AnnualFacts): TemplateContext {
  const { disclosures: d, requests: q, petitions: p, registers: r } = facts;
  const sum = (xs: { count: number }[]) => xs.reduce((a, b) => a + b.count, 0);
  const petitionChannels = CHANNEL_ORDER.map((c) => ({ label: CHANNEL_LABELS[c], count: byKey(p.byChannel, c) }));
  const received = sum(q.received);
  const finished = sum(q.results);
  const disclosedInFull = sum(q.results.filter((x) => x.result === 'disclosed'));
  const cppcc = r.proposals.filter((x) => x.category === '政协提案').length;
  const npc = r.proposals.filter((x) => x.category === '人大建议').length;
  const reviews = r.reconsideration.reduce((a, b) => a + b, 0);
  const suits = [...r.directSuit, ...r.suitAfterReview].reduce((a, b) => a + b, 0);
  return {
    year: facts.year,
    bureau: facts.bureau,
    period: `${chineseDateRange(facts.year)}${asOfMark(facts.year, facts.asOf)}`,
    beforeNationalFormat: facts.year <= 2018,
    trialFormat: facts.year >= 2019 && facts.year <= 2020,
    disclosures: {
      total: d.total,
      categoriesText: phrase(d.byCategory.map((c) => ({ label: c.key, count: c.count })), '条'),
      channelsText: phrase(d.byChannel.map((c) => ({ label: c.key, count: c.count })), '条'),
      channelNames: d.byChannel.filter((c) => c.count > 0).map((c) => c.key).join('、'),
    },
    serviceGuides: facts.serviceGuides,
    requests: {
      received,
      carriedIn: sum(q.carriedIn),
      finished,
      carriedOut: sum(q.carriedOut),
      disclosed: disclosedInFull,
      partial: sum(q.results.filter((x) => x.result === 'partial')),
      total: received + sum(q.carriedIn),
      // "均在法定期限内答复" only when requests were answered and none late (and the data says so).
      allOnTime: facts.requestTimeliness != null && facts.requestTimeliness.finished > 0 && facts.requestTimeliness.late === 0,
      late: facts.requestTimeliness?.late ?? 0,
    },
    petitions: {
      total: p.total,
      channelsText: phrase(petitionChannels, '件'),
      ratingsText: phrase(p.ratings, '件'),
      rated: sum(p.ratings),
      finished: p.finished,
      lateFinished: p.lateFinished ?? 0,
      ended: p.ended ?? 0,
      carriedOver: p.carriedOver ?? 0,
      unreachable: p.unreachable,
      overdue: p.overdue,
      overdueText: petitionOverdueText(p),
      handlingText: petitionHandlingText(p, facts.year, facts.asOf),
    },
    normativeDocs: {
      issued: r.normativeDocs.issued + r.rules.issued,
      repealed: r.normativeDocs.repealed + r.rules.repealed,
      inForce: r.normativeDocs.inForce + r.rules.inForce,
      titles: r.normativeDocTitles.map((t) => `《${t}》`).join('、'),
    },
    licenses: r.licenses,
    proposals: {
      total: r.proposals.length,
      cppcc,
      npc,
      text: phrase(
        [
          { label: '人大代表建议', count: npc },
          { label: '政协委员提案', count: cppcc },
        ],
        '件',
      ),
      titles: r.proposals.map((x) => `《${x.title}》`).join('、'),
    },
    reviews: { reconsideration: reviews, litigation: suits, total: reviews + suits },
    infoFees: { yuan: money(r.infoFeesYuan), count: r.infoFeeCount, collected: r.infoFeesYuan > 0 },
    projects: {
      total: r.projects.length,
      titles: r.projects.map((x) => x.title).join('、'),
      details: r.projects.map((x) => (x.note ? `${x.title}（${x.note}）` : x.title)).join('；'),
    },
  };
}
