import * as OpenCC from 'opencc-js/cn2t';
import type { Rng } from './random.js';

/**
 * The ways parents' typing differs from an entry's wording: dialect words, homophone typos,
 * traditional characters, lost or doubled punctuation, stray spaces. Applied at random, so
 * the classifier never learns that a clean sentence is a kb question and a messy one is not.
 */
const DIALECT: [RegExp, string[]][] = [
  [/什么/g, ['啥', '什么', '神马']],
  [/怎么/g, ['咋', '怎么', '怎样']],
  [/孩子/g, ['娃', '孩子', '小孩', '娃儿']],
  [/哪里/g, ['哪儿', '哪', '哪里']],
  [/我们/g, ['俺们', '我们', '咱们']],
  [/可以/g, ['能', '可以', '中不中']],
  [/吗[?？]?$/g, ['不', '吗', '么', '没']],
];

const TYPOS: [string, string][] = [
  ['报名', '报明'], ['材料', '才料'], ['学籍', '学藉'], ['证明', '正明'], ['需要', '须要'], ['办理', '办里'], ['资格', '姿格'],
  ['咨询', '资询'], ['补助', '补主'], ['户口', '户囗'], ['的', '得'], ['在', '再'], ['学校', '学效'], ['时间', '时侯'], ['已经', '以经'],
  ['作业', '做业'], ['班主任', '班主人'], ['食堂', '食棠'], ['老师', '老湿'], ['申请', '申清'],
];

let cn2t: ((text: string) => string) | undefined;

export function addNoise(rng: Rng, text: string): string {
  let out = text;
  if (rng.chance(0.3)) for (const [re, alts] of DIALECT) out = out.replace(re, () => rng.pick(alts));
  if (rng.chance(0.25)) {
    const [from, to] = rng.pick(TYPOS);
    out = out.replace(from, to);
  }
  if (rng.chance(0.06)) out = (cn2t ??= OpenCC.Converter({ from: 'cn', to: 'tw' }))(out);
  if (rng.chance(0.15)) out = out.replace(/[，。！？、：；,.!?:;]/g, rng.chance(0.5) ? ' ' : '');
  if (rng.chance(0.08)) out = out.replace(/[？?]$/, '???');
  if (rng.chance(0.05)) out = out.replace(/，/g, ',').replace(/？/g, '?');
  return out.replace(/\s+/g, ' ').trim();
}
