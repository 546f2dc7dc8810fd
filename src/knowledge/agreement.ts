import type { ScoringProfile } from './decide.js';

/**
 * Whether rankers built differently agree on the best entry — evidence for the answer model (answer-model.ts) whose
 * value does not shrink as the parent's wording overlaps the entry less: absolute scores, margins and coverage all
 * fall on parents' own words, but two independent orders can still agree.
 *
 * The independent order here is character bigrams: the message's pairs of adjacent Han characters against each
 * candidate's key text (title, questions, tags), each pair weighted by its rarity among the candidates only
 * (log((n + 1) / (df + 0.5)) over the n candidates the ranking already has: no second index, nothing kept per
 * entry). No segmenter, no lexicon, no synonym and no general-language weight takes part, so it fails in other
 * places than decide.ts does.
 */
const HAN = /\p{Script=Han}/u;

/** The distinct pairs of adjacent Han characters of `text` (the bureau's own place names already removed). */
export function hanBigrams(text: string): string[] {
  const out = new Set<string>();
  let prevHan = false;
  for (let i = 0; i < text.length; i++) {
    const han = HAN.test(text[i]!);
    if (han && prevHan) out.add(text.slice(i - 1, i + 1));
    prevHan = han;
  }
  return [...out];
}

export interface BigramAgreement {
  /** 1 when decide.ts's first candidate also scores highest by bigrams (a tie counts as agreeing), else 0. */
  agree: number;
  /** Its bigram score minus the best bigram score among the other candidates (−1–1; > 0: it leads there too). */
  lead: number;
}

/** No pair to compare (an English message, a single character): no evidence either way. */
export const NO_BIGRAM_EVIDENCE: BigramAgreement = { agree: 1, lead: 0 };

/**
 * Scores each candidate by the IDF-weighted share of the message's bigrams its key text holds, and compares
 * with decide.ts's order (`ranked`, best first).
 */
export function bigramAgreement(pairs: readonly string[], ranked: readonly ScoringProfile[]): BigramAgreement {
  const n = ranked.length;
  if (pairs.length === 0 || n < 2) return NO_BIGRAM_EVIDENCE;
  const keys = ranked.map((r) => r.profile.keyText());
  // held[p * n + c]: candidate c's key text holds pair p.
  const held = new Uint8Array(pairs.length * n);
  const idf = new Float64Array(pairs.length);
  let total = 0;
  for (let p = 0; p < pairs.length; p++) {
    let df = 0;
    for (let c = 0; c < n; c++) {
      if (keys[c]!.includes(pairs[p]!)) {
        held[p * n + c] = 1;
        df += 1;
      }
    }
    idf[p] = Math.log((n + 1) / (df + 0.5));
    total += idf[p]!;
  }
  if (total <= 0) return NO_BIGRAM_EVIDENCE;
  let first = 0;
  let bestOther = 0;
  for (let c = 0; c < n; c++) {
    let s = 0;
    for (let p = 0; p < pairs.length; p++) if (held[p * n + c] === 1) s += idf[p]!;
    if (c === 0) first = s / total;
    else bestOther = Math.max(bestOther, s / total);
  }
  return { agree: first >= bestOther ? 1 : 0, lead: first - bestOther };
}

/** 1 when two orders of the same candidates put the same entry first (no second order: 1). */
export function sameFirst(a: readonly ScoringProfile[], b: readonly ScoringProfile[] | null): number {
  if (!b || b.length === 0 || a.length === 0) return 1;
  return a[0]!.hit.id === b[0]!.hit.id ? 1 : 0;
}
