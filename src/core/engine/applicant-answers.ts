import { idNumberProblem, normaliseIdNumber, type IdProblem, type IdType } from '../cases/identity.js';

/**
 * The value inside a typed answer to the 政府信息公开申请's name and 身份证明 steps. People answer in a sentence
 * ("我叫张三", "身份证号码是11010519491231002X", "My name is Zhang San"): the value is read out of it by the
 * sentence's structure (a lead-in of subject, name noun and copula; a run of digits and capitals), not matched
 * against a list of whole sentences.
 */

/** Who speaks (我, 我们, 本单位…), as the first part of a lead-in that needs a copula after it ("我是…"). */
const SUBJECT = { person: '(?:我|本人)', org: '(?:我们单位|我们|我单位|本单位|我司|本公司|我)' };
/** What the answer names (姓名, 名称…): a lead-in on its own, the copula optional ("姓名张三", "申请人：张三"). */
const NOUN = {
  person: '(?:申请人(?:本人)?(?:的)?(?:真实)?(?:姓名|名字)?|(?:真实|全)?姓名|名字|全名|本人)',
  org: '(?:(?:申请|我们的?|我)?单位(?:的)?(?:全称|名称|名字)?|(?:单位)?(?:全称|名称))',
};
const COPULA = '(?:是|叫|为|[：:=])';
const EN_LEAD = /^(?:my\s+(?:full\s+)?name\s+is|(?:full\s+)?name\s*[:：=]|i\s+am|i'm|this\s+is|we\s+are|(?:organi[sz]ation|company)(?:\s+name)?\s*(?:is|[:：=]))\s*/iu;

const leadIn = (kind: 'person' | 'org') =>
  new RegExp(`^(?:${SUBJECT[kind]}\\s*(?:的\\s*)?(?:${NOUN[kind]}\\s*)?${COPULA}|${NOUN[kind]}\\s*${COPULA}?)\\s*`, 'u');
const LEAD_IN = { person: leadIn('person'), org: leadIn('org') };

/** Where the name ends: the first clause break after it ("我叫张三，是孩子的妈妈"). */
const CLAUSE_BREAK = /[，,、。;；！!？?\n]/u;

/**
 * The name in an answer to "请填写申请人姓名" / "请填写单位全称": without the lead-in and the clause after it.
 * "我叫张三。" → "张三"; "单位全称是辽宁某某律师事务所" → "辽宁某某律师事务所"; "张三" stays "张三".
 */
export function nameFromAnswer(text: string, kind: 'person' | 'org'): string {
  // Not NFKC-folded: the name is stored as typed (full-width brackets of an organisation's name stay).
  const clean = text.trim();
  const stripped = clean.replace(EN_LEAD, '').replace(LEAD_IN[kind], '');
  return (stripped.split(CLAUSE_BREAK)[0] ?? '').replace(/[\s.。．]+$/u, '').trim();
}

/**
 * Runs that may be a document number, in a message upper-cased after NFKC: up to two letters glued to a digit
 * (H12345678, E12345678), then digits and capitals in groups split by single blanks or dashes (110105 19491231 002X).
 * A word before it ("ID 1101…", "IS 1101…") is not glued to the digits, so it is not taken in.
 */
const NUMBER_RUN = /(?<![0-9A-Z])[A-Z]{0,2}\d[0-9A-Z]*(?:[\s-]\d[0-9A-Z]*)*(?:[\s-]X)?(?![0-9A-Z])/gu;

export type IdNumberAnswer = { idNumber: string } | { problem: IdProblem | 'several'; shown: string };

/**
 * The document number in an answer to "请输入居民身份证号码": the message itself when it is the number, else the one
 * run in it that is a valid number of the type ("身份证号码是11010519491231002X"). Several valid runs are not guessed
 * between ('several'); with none valid, the problem of the longest run (or of the message, when it holds no run)
 * is returned with the value it is about (`shown`, normalised, still to be masked).
 */
export function idNumberFromAnswer(text: string, idType: IdType): IdNumberAnswer {
  const whole = normaliseIdNumber(text.slice(0, 60));
  if (idNumberProblem(idType, whole) === null) return { idNumber: whole };
  // A run that is not a number of the type may be two numbers written with a blank between them: its groups are tried.
  const runs = (text.normalize('NFKC').toUpperCase().match(NUMBER_RUN) ?? []).flatMap((run) => {
    const joined = normaliseIdNumber(run);
    return idNumberProblem(idType, joined) === null ? [joined] : [joined, ...run.split(/[\s-]/u).map(normaliseIdNumber)];
  });
  const valid = [...new Set(runs.filter((run) => idNumberProblem(idType, run) === null))];
  if (valid.length === 1) return { idNumber: valid[0]! };
  if (valid.length > 1) return { problem: 'several', shown: '' };
  const longest = runs.reduce<string | null>((best, run) => (best === null || run.length > best.length ? run : best), null);
  const subject = longest ?? whole;
  return { problem: idNumberProblem(idType, subject) ?? 'otherFormat', shown: subject };
}
