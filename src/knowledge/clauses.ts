/**
 * Which part of a long message asks. Parents (and citizens on 问政 boards) narrate first — family, 户口, housing,
 * a move, work, an illness — and ask at the end, or ask first and explain after. Ranked as one bag of words, the
 * narrative's terms outweigh the few words of the question (a 转学 entry wins "…孩子以前在外区上学…报名要带什么材料").
 * Here the message is cut into clauses at punctuation (and at spaces between Han characters, which parents type
 * for commas); the clauses that ask are those ending in a question mark or holding a question word (吗, 呢,
 * 怎么, 哪, 多少, 什么, 是否, an A-not-A pair like 能不能 …), or, when none does, the last one. A clause that asks
 * but says nothing (请问，…) hands the asking on to the next. The other clauses are context: when they say enough
 * to be a narrative rather than the question's topic (孩子是自闭症 能上普通小学吗 keeps its first clause), their
 * terms weigh less in the ranking — both the bar and the weight are learned from data (models/clause-weight.json,
 * index.ts) — and a place they name as history (去年在X做过手术, 以前在X上学) does not decide the jurisdiction.
 *
 * A message of one clause, or whose every clause asks, has no context: it is ranked exactly as before.
 */
export interface Clause {
  text: string;
  /** Offset of the clause in the normalised message. */
  start: number;
  asks: boolean;
  /** Tells what happened before (or a trip): a place named here is where the family was, not what is asked. */
  history: boolean;
}

/** Clause boundaries: sentence punctuation (NFKC has made full-width marks ASCII), a full stop not inside a number, a space between Han characters. */
/** The marks that end a clause, as a character-class body (teach's personal-data filter splits at the same marks). */
export const CLAUSE_MARKS = ',，。!！?？;；:：~～…\\n、';
const BOUNDARY = new RegExp(`[${CLAUSE_MARKS}]+|(?<!\\d)\\.(?!\\d)|(?<=\\p{Script=Han})\\s+(?=\\p{Script=Han})`, 'gu');
const HAN = /\p{Script=Han}/u;
/**
 * A clause that asks: a question particle, a question word, an A-not-A pair (能不能, 有没有, 需不需要), or a
 * request to be told (请问, 想问, 咨询). 几 only with what it counts (几号, 几点, 几岁 …): 好几次 narrates.
 */
const ASKS =
  /[吗嘛呢]|怎么|怎样|咋|如何|哪|多少|多久|多长|什么|啥|是否|能否|可否|(\p{Script=Han})[不没]\1|几[号点月天时日周岁年所项种份个月]|请问|想问|问一下|问问|咨询|想知道|想了解/u;
/**
 * A clause that narrates the past or a trip: time words of the past, a verb with 过 (做过, 上过; not 过来/过去),
 * or travel. A place it names is not where the question is about.
 */
const HISTORY = /以前|之前|从前|去年|前年|前几年|那年|当年|早年|曾经|曾在|原来|原先|小时候|上次|[做读上住待呆去到看生学干办念]过(?![来去])|旅游|旅行|出差|度假|探亲/u;

/** The message's clauses (one, when it has no boundary or no Han character: English is left whole). */
export function splitClauses(norm: string): Clause[] {
  if (!HAN.test(norm)) return [{ text: norm, start: 0, asks: true, history: false }];
  const clauses: Clause[] = [];
  let from = 0;
  const push = (end: number, mark: string) => {
    const raw = norm.slice(from, end);
    const text = raw.trim();
    if (text) clauses.push({ text, start: from + raw.indexOf(text), asks: /[?？]/.test(mark) || ASKS.test(text), history: HISTORY.test(text) });
  };
  for (const m of norm.matchAll(BOUNDARY)) {
    push(m.index, m[0]);
    from = m.index + m[0].length;
  }
  push(norm.length, '');
  return clauses.length > 0 ? clauses : [{ text: norm, start: 0, asks: true, history: false }];
}

/**
 * The terms said only in context clauses (empty when the message has no context) and their total `weight`
 * (each distinct term once). `termsOf` analyses the clauses (one segmenter call); a term also said in an asking
 * clause is not context. Settles which clauses ask (sets `asks`), so call it before `inHistory`.
 */
export function readFocus(clauses: Clause[], termsOf: (texts: string[]) => string[][], weight: (term: string) => number): { context: ReadonlySet<string>; contextWeight: number } {
  if (clauses.length < 2) return { context: EMPTY, contextWeight: 0 };
  const terms = termsOf(clauses.map((c) => c.text));
  // A clause that asks but holds no term (请问，…; 想问一下，…) hands the asking on to the next clause.
  for (let i = 0; i + 1 < clauses.length; i++) if (clauses[i]!.asks && terms[i]!.length === 0) clauses[i + 1]!.asks = true;
  if (!clauses.some((c, i) => c.asks && terms[i]!.length > 0)) {
    // None asks: the last clause that says something is the question.
    for (let i = clauses.length - 1; i >= 0; i--) {
      if (terms[i]!.length > 0) {
        clauses[i]!.asks = true;
        break;
      }
    }
  }
  const asked = new Set<string>();
  clauses.forEach((c, i) => c.asks && terms[i]!.forEach((t) => asked.add(t)));
  const context = new Set<string>();
  clauses.forEach((c, i) => !c.asks && terms[i]!.forEach((t) => asked.has(t) || context.add(t)));
  let contextWeight = 0;
  context.forEach((t) => (contextWeight += weight(t)));
  return { context: context.size > 0 ? context : EMPTY, contextWeight };
}

/**
 * Whether offset `at` of the message lies in a context clause that narrates the past or a trip (for
 * jurisdiction.ts: a place named there is history, not the place asked about).
 */
export function inHistory(clauses: readonly Clause[], at: number): boolean {
  for (let i = clauses.length - 1; i >= 0; i--) {
    const c = clauses[i]!;
    if (c.start <= at) return !c.asks && c.history && at < c.start + c.text.length;
  }
  return false;
}

const EMPTY: ReadonlySet<string> = new Set();
