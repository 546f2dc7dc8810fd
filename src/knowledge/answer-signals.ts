import type { ScoringProfile } from './decide.js';
import { BODY, HEADING, KEY, QUALIFIER } from './entry-profile.js';

/**
 * How the best entry stands against its close rivals, for the answer model (answer-model.ts). They rest on
 * the ranking and on what the knowledge base holds, never on word lists:
 *   keyLead   — share of the message's weight the best entry holds in its title/questions/tags, minus the
 *               most any other of the first RIVALS candidates holds there (a first place won on body words
 *               while another entry is about the message's words is a guess);
 *   bodyFirst — 1 when none of those rivals holds more of the message in its headings and text;
 *   relMargin — the lead over the runner-up relative to the best score (the raw margin shrinks with the score).
 * Term weights are IDF over the base's entries (`idf`), so a word every entry has says little.
 */
export interface RankSignals {
  keyLead: number;
  bodyFirst: number;
  relMargin: number;
}

/** Candidates compared with the best one. */
const RIVALS = 5;

export function rankSignals(terms: readonly string[], ranked: readonly ScoringProfile[], idf: (term: string) => number): RankSignals {
  const close = ranked.slice(0, RIVALS);
  let all = 0;
  const inKey = close.map(() => 0);
  const inBody = close.map(() => 0);
  for (const t of new Set(terms)) {
    const w = idf(t);
    all += w;
    close.forEach((r, i) => {
      if (r.profile.has(KEY, t) || r.profile.has(QUALIFIER, t)) inKey[i]! += w;
      if (r.profile.has(HEADING, t) || r.profile.has(BODY, t)) inBody[i]! += w;
    });
  }
  const share = (x: number) => (all > 0 ? x / all : 0);
  const top = close[0]!.hit.score;
  const runnerUp = close[1]?.hit.score ?? 0;
  return {
    keyLead: share(inKey[0]!) - share(Math.max(0, ...inKey.slice(1))),
    bodyFirst: inBody.slice(1).every((b) => b <= inBody[0]!) ? 1 : 0,
    relMargin: top > 0 ? (top - runnerUp) / top : 0,
  };
}
