/**
 * Weights of the entry ranking (decide.ts `rankCandidates`) that `bench/train-ranking.ts` fits on the team's
 * own sets and measures on the outside set held out.
 *   fact — added to an entry's score by how surely it holds the kind of fact the message asks for
 *          (facts.ts `entryHoldsAsked`: 1 by a section heading or its title, 0.5 by what a section's text
 *          looks like), so "几号截止" would rank the entry with the dates above a neighbour on the topic.
 * Off (0) by default: the fit on the own sets picks 0.08 (own hit@1 0.940 → 0.942), but at that weight the
 * held-out outside set loses (hit@1 0.780 → 0.768), and at no weight does it gain (docs/BENCHMARKS.md, issue 14).
 * Nearly every entry of a bureau's base holds a date, a material or a 办理 step somewhere, so holding the fact
 * does not tell the entry about it from its neighbour.
 */
export interface RankingWeights {
  fact: number;
}

export const RANKING_DEFAULT: Readonly<RankingWeights> = { fact: 0 };
