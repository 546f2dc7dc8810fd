/**
 * The suggest floor (models/answer-model.json `suggestFrom`): when the bot does not answer outright, from which
 * ranking score it shows "您是不是想问" with the top three titles rather than nothing. Learned, not set by hand:
 * over the messages the answer model does not answer, a list counts
 *   +1 when it holds a right entry (the parent reaches the answer in one tap instead of filing a case),
 *   −1 when the message must be declined (the list points at entries about something else),
 *    0 when the message is answerable but no right entry is listed (the parent needs staff either way, and the
 *      list keeps the routes to staff: answer.ts);
 * and the floor is the score at which the sum over the lists it shows is largest: the lowest score from which
 * showing lists still gains, at the margin, as often as it misleads. A tie keeps the higher floor (fewer lists).
 * Scores come rounded to 0.001 (decide.ts), so a grid of 0.005 loses nothing a set of this size can tell.
 */
export interface FloorRow {
  /** The best entry's ranking score; null when nothing matched or the message is about another place. */
  score: number | null;
  /** Answered outright (not a candidate for a list). */
  answered: boolean;
  answerable: boolean;
  /** A right entry is among the three titles a list would show. */
  listed: boolean;
}

const STEP = 5; // thousandths

/** `declineCost`: what a list to a must-decline message costs against a list that helps (1; other values only to report). */
export function gainOf(row: FloorRow, declineCost = 1): number {
  return row.listed ? 1 : row.answerable ? 0 : -declineCost;
}

/** The floor with the largest total gain over `rows`; 1 (lists never shown) when no floor gains anything. */
export function learnFloor(rows: readonly FloorRow[], declineCost = 1): number {
  const open = rows.filter((r) => r.score !== null && !r.answered);
  let best = 1000;
  let bestGain = 0;
  for (let k = 1000; k >= 0; k -= STEP) {
    let gain = 0;
    for (const r of open) if (Math.round(r.score! * 1000) >= k) gain += gainOf(r, declineCost);
    if (gain > bestGain) {
      bestGain = gain;
      best = k;
    }
  }
  return best / 1000;
}

/** What a floor shows: lists holding a right entry, lists to must-decline messages, lists holding none; right entries not listed. */
export function floorPoint(rows: readonly FloorRow[], floor: number): { listed: number; declines: number; useless: number; missed: number } {
  const p = { listed: 0, declines: 0, useless: 0, missed: 0 };
  for (const r of rows) {
    if (r.score === null || r.answered) continue;
    const shown = r.score >= floor - 1e-9;
    if (shown && r.listed) p.listed += 1;
    else if (shown && !r.answerable) p.declines += 1;
    else if (shown) p.useless += 1;
    else if (r.listed) p.missed += 1;
  }
  return p;
}
