/**
 * The kind of fact a message asks for (时间/截止, 材料, 条件, 地点, 电话, 费用, 流程) and whether a section of an
 * entry holds it, so "几号截止" is answered with the section that has the dates, not the one that shares the
 * most topic words. A section holds a fact by its heading (报名时间, 所需材料) or, less surely, by what its text
 * looks like (a date, a phone number, a sum in 元, a street address), which works for any bureau's files.
 */
import type { KnowledgeEntry } from './schema.js';

export type Fact = 'time' | 'materials' | 'conditions' | 'place' | 'phone' | 'fee' | 'process';

/**
 * Colloquial "what" (啥/啥子/撒/么事/么子/哪样/咩/啲咩 …), "how long / when" (好久/几时/么时候/多咱/啥前儿 …) and
 * "where" (哪点/哪块/上哪) as parents across regions say them (where: 上哪/往哪/哪点); the patterns below combine them with a verb rather
 * than listing sentences.
 */
const WHAT = '(?:什么|什麼|啥子?|撒|么事|么子|么东西|哪样|哪些|哪几样|哪种|哪个|些啥子?|些什么|啲咩|咩)';
/** Bringing, preparing, handing in or getting a paper issued (带/拿/揣/准备/备齐/交/提供/上传/开/补/出具) + what. */
const MATERIALS_ASK = new RegExp(
  `(?:带|拿|揣|准备|备齐?|交|提交|提供|上传|出具|开|补交)(?:些|点|个|好|上|齐|哪)?${WHAT}|${WHAT}(?:证明|证件|证|资料|材料|本本|东西|单子)`,
);
const WHEN = /好久|好多天|几时|么时候|么子时候|多咱|啥前儿|哪几天|多少天|几天|几个工作日|哪个时候|啥时/;
const WHERE = /上哪|往哪|到哪|哪点|哪块/;
const FEE = /要钱|花钱|掏钱|收钱|几多钱|好多钱|好贵|什么价|啥价|多少课时的钱|报名费|赞助费|择校费|借读费/;

const ASKS: readonly (readonly [Fact, RegExp])[] = [
  ['phone', /电话|号码|打哪个|热线|联系方式|座机|总机|咋联系|怎么联系|么样联系|\bphone\b|\bcall\b/i],
  ['fee', new RegExp(`多少钱|收费|费用|几块|价格|学费|交钱|免费|${FEE.source}|\\bcost\\b|\\bfees?\\b|how much|\\bpay\\b`, 'i')],
  ['time', new RegExp(`几号|几月|哪天|哪一天|什么时候|啥时候|何时|截止|几点|多久|多长时间|${WHEN.source}|\\bwhen\\b|deadline`, 'i')],
  ['place', new RegExp(`在哪|去哪|哪里|哪儿|地址|地点|${WHERE.source}|\\bwhere\\b`, 'i')],
  ['materials', new RegExp(`材料|证件|资料|${MATERIALS_ASK.source}|\\bdocuments?\\b`, 'i')],
  ['conditions', /条件|资格|符合|要求|\beligib/i],
  ['process', /流程|手续|步骤|程序|怎么申请|如何申请|怎么办理|\bprocedure\b/i],
];

const HEADING_HOLDS: Record<Fact, RegExp> = {
  phone: /电话|联系|咨询/,
  fee: /费|收费|价格|标准/,
  time: /时间|日期|安排|截止|时限|期限|开学|学期/,
  place: /地点|地址|窗口|受理/,
  materials: /材料|证件|资料|清单/,
  conditions: /条件|对象|要求|资格|范围/,
  process: /流程|程序|步骤|方式|办法|申请|办理/,
};

const TEXT_HOLDS: Record<Fact, RegExp> = {
  phone: /\d{3,4}-\d{7,8}|热线|12345/,
  fee: /\d+(?:\.\d+)?\s*元|不收(?:取)?费|免费|免收/,
  time: /\d{1,2}月\d{1,2}日|\d{1,2}:\d{2}|个工作日/,
  place: /[路街道]\d+号|\d+楼|窗口|地址/,
  materials: /户口簿|身份证|证明|证书|原件|复印件/,
  conditions: /具有|具备|年满|持有|满\d+|符合/,
  process: /先.{1,30}再|提交|审核|办理/,
};

/** The facts a message asks for, in the order above (a message may ask for two). */
export function askedFacts(norm: string): Fact[] {
  return ASKS.filter(([, re]) => re.test(norm)).map(([fact]) => fact);
}

/** How surely a section holds one of `facts`: 1 by its heading, 0.5 by its text, 0 not at all. */
export function holdsFact(facts: readonly Fact[], heading: string | null, text: string): number {
  let best = 0;
  for (const f of facts) {
    if (heading && HEADING_HOLDS[f].test(heading)) return 1;
    if (TEXT_HOLDS[f].test(text)) best = 0.5;
  }
  return best;
}

const held = new WeakMap<KnowledgeEntry, Map<Fact, number>>();

/**
 * How surely an entry holds `fact` anywhere (its best section, or its title read as a heading): 1, 0.5 or 0.
 * Cached per entry object: a reload builds new entry objects, so a stale answer cannot outlive its file.
 */
export function entryHoldsFact(entry: KnowledgeEntry, fact: Fact): number {
  let byFact = held.get(entry);
  if (!byFact) held.set(entry, (byFact = new Map()));
  let value = byFact.get(fact);
  if (value === undefined) {
    value = holdsFact([fact], entry.title, '');
    for (const s of entry.sections) if (value < 1) value = Math.max(value, holdsFact([fact], s.heading, s.text));
    byFact.set(fact, value);
  }
  return value;
}

/** How surely an entry holds one of the facts a message asks for (the best of them). */
export function entryHoldsAsked(entry: KnowledgeEntry, facts: readonly Fact[]): number {
  let best = 0;
  for (const f of facts) if (best < 1) best = Math.max(best, entryHoldsFact(entry, f));
  return best;
}
