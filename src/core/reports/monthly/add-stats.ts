import type { PeriodStats } from './collect.js';

/** Mean to one decimal, or null when there is nothing to average. */
export function averageOf(total: number, n: number): number | null {
  return n === 0 ? null : Math.round((total / n) * 10) / 10;
}

function addMaps(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The figures of two adjacent periods as one (every figure is a count or a sum). */
export function addStats(a: PeriodStats, b: PeriodStats): PeriodStats {
  const closed = a.closed + b.closed;
  const total = a.workingDaysToCloseTotal + b.workingDaysToCloseTotal;
  return {
    disclosures: {
      total: a.disclosures.total + b.disclosures.total,
      byCategory: addMaps(a.disclosures.byCategory, b.disclosures.byCategory),
      byChannel: addMaps(a.disclosures.byChannel, b.disclosures.byChannel),
    },
    cases: {
      total: a.cases.total + b.cases.total,
      byChannel: addMaps(a.cases.byChannel, b.cases.byChannel),
      byType: addMaps(a.cases.byType, b.cases.byType),
      outcome: {
        onTime: a.cases.outcome.onTime + b.cases.outcome.onTime,
        late: a.cases.outcome.late + b.cases.outcome.late,
        open: a.cases.outcome.open + b.cases.outcome.open,
        awaitingClose: a.cases.outcome.awaitingClose + b.cases.outcome.awaitingClose,
        openOverdue: a.cases.outcome.openOverdue + b.cases.outcome.openOverdue,
        ended: a.cases.outcome.ended + b.cases.outcome.ended,
      },
    },
    avgWorkingDaysToClose: averageOf(total, closed),
    workingDaysToCloseTotal: total,
    closed,
    ratings: {
      byLabel: addMaps(a.ratings.byLabel, b.ratings.byLabel),
      declined: a.ratings.declined + b.ratings.declined,
      unreachable: a.ratings.unreachable + b.ratings.unreachable,
    },
    knowledge: {
      answered: a.knowledge.answered + b.knowledge.answered,
      unanswered: a.knowledge.unanswered + b.knowledge.unanswered,
      helpful: a.knowledge.helpful + b.knowledge.helpful,
      notHelpful: a.knowledge.notHelpful + b.knowledge.notHelpful,
    },
    reviews: {
      review: a.reviews.review + b.reviews.review,
      recheck: a.reviews.recheck + b.reviews.recheck,
      overturned: a.reviews.overturned + b.reviews.overturned,
      late: a.reviews.late + b.reviews.late,
      repeat: a.reviews.repeat + b.reviews.repeat,
      withdrawn: a.reviews.withdrawn + b.reviews.withdrawn,
    },
  };
}
