import type { Rng } from './random.js';
import * as P from './petition-slots.js';

/**
 * Citizens' posts as they are written on 问政 boards (petitions), requests for a person and status questions
 * in new words, and their hard negatives: long, addressed, question-ending knowledge questions about the
 * family's own circumstances. Composed from petition-slots.ts; the caller fills {area}, {school}, … .
 */
const PLACE = ['城关镇', '新城街道', '河西村', '东关街道', '开发区', '南湖街道', '老城区', '工业园区', '桥头镇', '西郊'];

function sprinkle(rng: Rng, text: string): string {
  return text
    .replace(/\{place\}/g, () => rng.pick(PLACE))
    .replace(/\{month\}/g, () => String(1 + rng.int(12)))
    .replace(/\{day\}/g, () => String(1 + rng.int(28)))
    .replace(/\{year\}/g, () => String(2016 + rng.int(9)))
    .replace(/\{n\}/g, () => String(1 + rng.int(9)))
    .replace(/\{monthEn\}/g, () => rng.pick(['March', 'August', 'October', 'December']));
}

function situation(rng: Rng): string {
  const wrong = rng.chance(0.6) ? `${rng.pick(P.DOER)}${rng.pick(P.WRONG_ACT)}` : rng.pick(P.PLACE_WRONG);
  return `${wrong}。${rng.pick(P.HOW_LONG)}${rng.pick(P.CONSEQUENCE)}`;
}

/** One petition: a long post (most), a short phone message, or an English letter. */
export function composePetition(rng: Rng): string {
  const style = rng.int(20);
  if (style < 2) {
    const wrong = rng.pick(P.EN_WRONG);
    return sprinkle(rng, rng.pick(P.EN_PETITION).replace('{en_wrong}', wrong[0]!.toUpperCase() + wrong.slice(1)).replace('{en_ask}', rng.pick(P.EN_ASK)).replace(/^(.*?\. )([a-z])/, (_, a: string, b: string) => a + b.toUpperCase()));
  }
  if (style < 6) {
    const wrong = rng.chance(0.6) ? `${rng.pick(P.DOER)}${rng.pick(P.WRONG_ACT)}` : rng.pick(P.PLACE_WRONG);
    return sprinkle(rng, wrong + rng.pick(P.SHORT_END));
  }
  const title = rng.chance(0.25) ? `${rng.pick(P.TITLE).replace('{topic}', rng.pick(P.TOPIC))}${rng.pick([' ', '\n', '：'])}` : '';
  const body = [rng.pick(P.ADDRESS), rng.pick(P.WRITER), situation(rng)];
  if (rng.chance(0.35)) body.push(situation(rng));
  body.push(rng.pick(P.TRIED), rng.pick(P.REQUEST), rng.pick(P.SIGN_OFF));
  return sprinkle(rng, title + body.join(''));
}

/** A post disputing a decision taken against the family (admission, zoning, records, pay): long, usually addressed. */
export function composeDecisionPetition(rng: Rng): string {
  const wrong = `${rng.pick(P.DECISION_WRONG)}。${rng.pick(P.HOW_LONG)}${rng.pick(P.CONSEQUENCE)}`;
  if (rng.chance(0.25)) return sprinkle(rng, wrong + rng.pick(P.SHORT_END));
  return sprinkle(rng, [rng.pick(P.ADDRESS), rng.pick(P.WRITER), wrong, rng.pick(P.TRIED), rng.pick(P.REQUEST), rng.pick(P.SIGN_OFF)].join(''));
}

/** A long knowledge question: the family's circumstances, then a question about a rule or a procedure. */
export function composeOwnCaseQuestion(rng: Rng): string {
  if (rng.chance(0.1)) return sprinkle(rng, rng.pick(P.EN_KB));
  if (rng.chance(0.35)) return `${rng.pick(P.OWN_CASE_SHORT)}${rng.pick([' ', '，', ',', ''])}${rng.pick(P.SHORT_RULE_QUESTION)}${rng.pick(['', '？', '?', '啊'])}`;
  const parts = [rng.pick(P.ADDRESS), rng.pick(P.OWN_CASE), rng.pick(['，', '。', '，', '；']), rng.pick(P.RULE_QUESTION)];
  if (rng.chance(0.3)) parts.push(rng.pick(['谢谢！', '麻烦了。', '盼复。', '急！']));
  return sprinkle(rng, parts.join(''));
}

const HUMAN_NEW = [
  '能不能请{who}跟我通个电话', '麻烦帮我联系一下{who}', '我想当面跟{who}说这个事', '把我的事转给{who}处理吧', '机器回答不了，请{who}直接跟我说',
  '有没有{who}能直接跟我对接', '请安排{who}跟我联系', '我需要跟{who}说话，不是跟机器人', '你们{who}的电话能给我一个吗，我想直接沟通',
];
const HUMAN_WHO = ['负责的老师', '管这事的领导', '招生办的同志', '科室的工作人员', '真人客服', '值班老师', '经办的同志', '学籍科的老师'];
const STATUS_NEW = [
  '{when}我在这里留的言，到现在都没人回复', '{when}反映的那个问题，学校说等通知，现在有说法了吗', '我{when}提交的那个申请，审核通过了没有',
  '{when}说好一周内给答复的，现在都过去半个月了', '那件事你们到底查了没有？{when}就说了', '{when}登记的事，麻烦帮我看一下现在到哪一步了',
  '我的问题{when}就交上去了，今天能有个结果吗', '请问{when}我投诉的事情现在处理完了吗',
];
const STATUS_WHEN = ['上个礼拜', '十几天前', '开学那会儿', '上个月中旬', '月初', '前一阵子', '三天前', '国庆前'];

/** Status asked in English without "my case": what the parent sent, when, and whether anything came of it. */
const EN_STATUS = [
  'Has anyone looked at the {thing} I sent {when}?', 'I wrote to you {when} about the {thing}. Is there an answer yet?', 'What happened with the {thing} I filed {when}?',
  'Still waiting to hear back about the {thing} from {when}.', 'Is there any news on the {thing} I raised {when}?', 'Did my {thing} from {when} get handled?',
  'No reply yet to the {thing} I submitted {when}, what is going on?',
];
const EN_THING = ['complaint', 'message', 'letter', 'request', 'problem', 'issue about the canteen', 'application', 'report about the bus'];
const EN_WHEN = ['last month', 'two weeks ago', 'on Monday', 'a few days ago', 'before the holiday', 'at the start of term'];

export function composeEnglishStatus(rng: Rng): string {
  return rng.pick(EN_STATUS).replace('{thing}', rng.pick(EN_THING)).replace('{when}', rng.pick(EN_WHEN));
}

export function composeHuman(rng: Rng): string {
  return rng.pick(HUMAN_NEW).replace('{who}', rng.pick(HUMAN_WHO)) + rng.pick(['', '。', '，谢谢', '！']);
}

export function composeStatus(rng: Rng): string {
  return rng.pick(STATUS_NEW).replace('{when}', rng.pick(STATUS_WHEN)) + rng.pick(['', '？', '。']);
}
