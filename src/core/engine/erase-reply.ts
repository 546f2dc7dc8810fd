import { saysYes } from './contact-reply.js';

/** The erase button's own words and other ways to say "delete it" (split at punctuation, 吧/了 dropped). */
const ERASE_WORDS = /^(?:确认删除|删除|删掉|删|确定删除|全部删除|删除数据|delete|delete it|delete my data|erase|erase it|yes delete)$/iu;
const COURTESY = /^(?:谢谢|谢了|麻烦了|请|thanks?(?: you)?|please)$/iu;
/** "不删了", "先不删", "不要删除", "算了", "no", "keep it": the erase is called off. */
const KEEP = /^(?:(?:先|还是|暂时)?(?:不|别|不要|不用|不必)(?:要)?(?:删|删除|删掉)?(?:了|吧)?|算了?|不了|no|nope|keep(?: it| my data)?|don'?t delete(?: it)?)$/iu;

/**
 * The answer typed to the privacy prompt ("点‘确认删除’可删除…"): 'confirm' for a plain yes or the button's words
 * ("确认", "是的", "好的，删除吧", "确认删除"), 'keep' for a plain no ("不删了", "算了"), undefined for anything else
 * (a question, another request), which the caller answers as itself after saying the erase was not done.
 */
export function eraseAnswer(text: string): 'confirm' | 'keep' | undefined {
  const said = text.trim().normalize('NFKC');
  if ([...said].length > 30 || /[吗嘛呢？?]/u.test(said)) return undefined;
  // Split at punctuation, and at spaces too ("好的 删除吧"), but "yes, delete it" keeps its words together.
  const partsOf = (split: RegExp) => said.split(split).map((p) => p.trim().replace(/(?:吧|了|啊|呀)+$/u, '')).filter(Boolean);
  const readings = [partsOf(/[\s,，。.!！~、;；]+/u), partsOf(/[,，。.!！~、;；]+/u)];
  if (readings[0]!.length === 0) return undefined;
  const keeps = (parts: string[]) => parts.every((p) => KEEP.test(p) || COURTESY.test(p)) && parts.some((p) => KEEP.test(p));
  const erases = (parts: string[]) =>
    parts.every((p) => ERASE_WORDS.test(p) || COURTESY.test(p) || saysYes(p)) && parts.some((p) => ERASE_WORDS.test(p) || saysYes(p));
  if (readings.some(keeps)) return 'keep';
  const yes = readings.some(erases);
  return yes ? 'confirm' : undefined;
}
