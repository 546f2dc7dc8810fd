import { loadKnowledge } from '../../src/knowledge/loader.js';
import type { KnowledgeEntry } from '../../src/knowledge/schema.js';
import { projectPath } from '../../src/project-root.js';
import { addNoise } from './noise.js';
import { createRng, type Rng } from './random.js';
import * as S from './slots.js';
import { composeDecisionPetition, composeEnglishStatus, composeHuman, composeOwnCaseQuestion, composePetition, composeStatus } from './petitions.js';
import { composeLookalike, composePresenceGreeting } from './lookalikes.js';

/**
 * The training corpus (train/corpus.jsonl): parent messages over six bureaus' knowledge bases,
 * labelled with intent and, for knowledge questions, the entry that answers them. Generated from
 * the entries' own titles, questions, tags and section headings and from the slots in slots.ts;
 * seeded, so `npm run train` writes the same bytes every time. No evaluation set is read.
 */
export const BUREAUS = [
  { bureau: 'xihu', province: '辽宁省', area: '溪湖区', dir: 'knowledge' },
  { bureau: 'dadong', province: '辽宁省', area: '大东区', dir: 'bench/other-bureau/knowledge' },
  { bureau: 'ganjingzi', province: '辽宁省', area: '甘井子区', dir: 'bench/third-bureau/knowledge' },
  { bureau: 'tianhe', province: '广东省', area: '天河区', dir: 'bench/fourth-bureau/knowledge' },
  { bureau: 'yuelu', province: '湖南省', area: '岳麓区', dir: 'train/kb/yuelu' },
  { bureau: 'yanta', province: '陕西省', area: '雁塔区', dir: 'train/kb/yanta' },
] as const;

export type CorpusIntent = 'petition' | 'human' | 'status' | 'greeting' | 'thanks' | 'kb';
export interface CorpusRow {
  bureau: string;
  text: string;
  intent: CorpusIntent;
  entry?: string;
}

const SCHOOL_STEM = ['育才', '实验', '光明', '红星', '新华', '东风', '向阳', '朝阳', '阳光', '明德', '启智', '建设', '胜利', '滨河', '西山'];
const SCHOOL_KIND = ['小学', '第一小学', '中学', '实验学校', '第二中学', '九年一贯制学校'];
const GRADE = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级', '初一', '初二', '初三', '一年级三班', '五年二班'];
const COMMUNITY = ['幸福里小区', '锦绣花园', '阳光家园', '滨江一号', '书香苑', '和平新村', '金色港湾', '枫林小区'];

export function fill(rng: Rng, template: string, area: string): string {
  return template
    .replace(/\{area\}/g, area)
    .replace(/\{school\}/g, () => rng.pick(SCHOOL_STEM) + rng.pick(SCHOOL_KIND))
    .replace(/\{grade\}/g, () => rng.pick(GRADE))
    .replace(/\{community\}/g, () => rng.pick(COMMUNITY));
}

function petition(rng: Rng, area: string): string {
  const style = rng.int(10);
  const wrong = rng.pick(S.WRONG);
  if (style < 5) {
    const parts = [rng.pick(S.ADDRESS), rng.pick(S.WHO), `${wrong}。`, rng.pick(S.IMPACT), rng.pick(S.TRIED), rng.pick(S.CLOSING)];
    return fill(rng, parts.join(''), area);
  }
  if (style < 8) return fill(rng, wrong + rng.pick(S.SHORT_TAIL), area);
  if (style < 9) return fill(rng, rng.pick(S.OUTRIGHT) + wrong, area);
  return fill(rng, rng.pick(S.ADDRESS) + rng.pick(S.SUGGESTIONS) + rng.pick(['。', '，谢谢。', '！', '，请考虑。']), area);
}

function status(rng: Rng): string {
  return rng
    .pick(S.STATUS)
    .replace('{when}', rng.pick(S.STATUS_WHEN))
    .replace('{did}', rng.pick(S.STATUS_DID))
    .replace('{thing}', rng.pick(S.STATUS_THING))
    .replace('{ask}', rng.pick(S.STATUS_ASK));
}

/** Asking about a fact a section holds, by the section's heading. */
const FACT_ASKS: [RegExp, string[]][] = [
  [/时间|截止|日期|安排|期限/, ['什么时候', '几号开始', '几号截止', '啥时候办', '时间是哪天']],
  [/材料|证件|准备/, ['要带啥', '需要哪些材料', '要准备什么证件', '材料清单有哪些']],
  [/地址|地点|窗口|在哪/, ['在哪办', '去哪里办理', '地点在哪']],
  [/电话|联系/, ['电话多少', '打哪个电话', '怎么联系']],
  [/费用|收费|价格|标准/, ['多少钱', '收费吗', '要交钱吗', '收费标准是多少']],
  [/流程|方式|办理|步骤|程序/, ['怎么办', '流程是啥', '怎么弄', '在哪申请']],
  [/条件|对象|范围|要求/, ['什么条件', '哪些人可以', '有啥要求', '符合什么能办']],
];
export const PREFIX = ['', '', '', '请问', '想问下', '咨询一下，', '你好，', '老师您好，', '领导您好，想咨询一下：', '打扰一下，', '问一下', '您好！请问'];
export const CONTEXT = [
  '我家孩子今年六岁了，', '我们是外地户口，在{area}租房住，', '孩子明年上{grade}，', '我们刚搬到{area}，', '孩子现在在{school}读书，',
  '领导您好：我是{community}的居民，孩子今年要上学，', '我是一名家长，之前没经验，', '孩子爸爸在外地工作，我一个人带孩子，',
];
export const SUFFIX = ['', '', '', '？', '?', '，谢谢', '，急', '，在线等', '呢', '啊'];

function topicOf(entry: KnowledgeEntry, rng: Rng): string {
  const title = entry.title.replace(/(怎么办|怎么办理|如何办理|怎么|如何|指南|须知|问答|说明|常见问题)$/u, '');
  return rng.chance(0.6) || entry.tags.length === 0 ? title : rng.pick(entry.tags);
}

function kbMessage(rng: Rng, entry: KnowledgeEntry, area: string): string {
  if (rng.chance(0.22)) {
    const q = entry.questions.length > 0 && rng.chance(0.6) ? rng.pick(entry.questions).replace(/[？?]$/, '') : `${topicOf(entry, rng)}${rng.pick(['能办吗', '怎么弄', '有什么要求', '要准备啥', '能不能行'])}`;
    const addressed = rng.chance(0.3) ? rng.pick(['领导您好：', '您好，', '老师好，', '局长您好，']) : '';
    return fill(rng, addressed + rng.pick(S.SITUATION) + rng.pick(S.SITUATION_ASK).replace('{q}', q) + rng.pick(S.SITUATION_END), area);
  }
  const style = rng.int(10);
  let core: string;
  if (style < 4 && entry.questions.length > 0) core = rng.pick(entry.questions).replace(/[？?]$/, '');
  else if (style < 8) {
    const headings = entry.sections.map((s) => s.heading).filter((h): h is string => h !== null);
    const heading = headings.length > 0 ? rng.pick(headings) : '';
    const asks = FACT_ASKS.find(([re]) => re.test(heading))?.[1] ?? rng.pick(FACT_ASKS)[1];
    core = `${topicOf(entry, rng)}${rng.pick(['', '', '的', '，', ' '])}${rng.pick(asks)}`;
  } else core = topicOf(entry, rng) + rng.pick(['', '怎么弄', '的政策', '有规定吗', '相关问题', '']);
  const context = rng.chance(0.25) ? rng.pick(CONTEXT) : '';
  return fill(rng, `${context ? context + rng.pick(['请问', '想问', '']) : rng.pick(PREFIX)}${core}${rng.pick(SUFFIX)}`, area);
}

const LOOKALIKES_PER_BUREAU = 240;

export async function generateCorpus(seed = 20261206): Promise<CorpusRow[]> {
  const rng = createRng(seed);
  const rows: CorpusRow[] = [];
  const seen = new Set<string>();
  const push = (row: CorpusRow) => {
    const text = addNoise(rng, row.text);
    if (!text || seen.has(text)) return;
    seen.add(text);
    rows.push({ ...row, text });
  };
  for (const b of BUREAUS) {
    const { entries } = await loadKnowledge(projectPath(b.dir), { today: '2026-09-01' });
    const zh = entries.filter((e) => e.lang === 'zh').sort((x, y) => x.id.localeCompare(y.id));
    const perEntry = Math.ceil(600 / zh.length);
    for (const entry of zh) for (let i = 0; i < perEntry; i++) push({ bureau: b.bureau, text: kbMessage(rng, entry, b.area), intent: 'kb', entry: entry.id });
    for (let i = 0; i < 8; i++) push({ bureau: b.bureau, text: rng.pick(S.NOISE_MESSAGES), intent: 'kb' });
    for (let i = 0; i < 20; i++) push({ bureau: b.bureau, text: rng.pick(S.CHITCHAT) + rng.pick(['', '', '？', '~', '。']), intent: 'kb' });
    for (let i = 0; i < 60; i++) push({ bureau: b.bureau, text: fill(rng, rng.pick(PREFIX) + rng.pick(S.OFF_TOPIC_QUESTIONS) + rng.pick(SUFFIX), b.area), intent: 'kb' });
    for (let i = 0; i < 8; i++) push({ bureau: b.bureau, text: rng.pick(S.ENGLISH_QUESTIONS) + rng.pick(['?', '', ' please', '?thanks']), intent: 'kb' });
    for (let i = 0; i < 230; i++) push({ bureau: b.bureau, text: petition(rng, b.area), intent: 'petition' });
    for (let i = 0; i < 40; i++) push({ bureau: b.bureau, text: rng.pick(S.HUMAN) + rng.pick(['', '', '。', '！', '，谢谢', '，快点']), intent: 'human' });
    for (let i = 0; i < 50; i++) push({ bureau: b.bureau, text: rng.pick(S.HUMAN_VERB) + rng.pick(S.HUMAN_WHO) + rng.pick(S.HUMAN_TAIL), intent: 'human' });
    for (let i = 0; i < 60; i++) push({ bureau: b.bureau, text: status(rng) + rng.pick(['', '？', '?', '。']), intent: 'status' });
    for (let i = 0; i < 40; i++) push({ bureau: b.bureau, text: rng.pick(S.GREETING) + rng.pick(['', '', '~', '！', '。', '👋', ' ', '，', '，在吗', '，有人吗']), intent: 'greeting' });
    for (let i = 0; i < 40; i++) {
      const ack = rng.pick(S.ACK);
      push({ bureau: b.bureau, text: (ack ? ack + rng.pick(['，', ' ', '']) : '') + rng.pick(S.THANKS) + rng.pick(['', '', '！', '~', '🙏', '。']), intent: 'thanks' });
    }
  }
  // Posts as citizens write them on 问政 boards, and their long knowledge-question look-alikes (petitions.ts).
  // Drawn after every row above, so adding them left those rows byte-identical.
  for (const b of BUREAUS) {
    for (let i = 0; i < 160; i++) push({ bureau: b.bureau, text: fill(rng, composePetition(rng), b.area), intent: 'petition' });
    for (let i = 0; i < 130; i++) push({ bureau: b.bureau, text: fill(rng, composeOwnCaseQuestion(rng), b.area), intent: 'kb' });
    for (let i = 0; i < 15; i++) push({ bureau: b.bureau, text: composeHuman(rng), intent: 'human' });
    for (let i = 0; i < 15; i++) push({ bureau: b.bureau, text: composeStatus(rng), intent: 'status' });
  }
  // Knowledge questions that look like cases or greetings, from each entry's own topic (lookalikes.ts); drawn last,
  // so every row above stays byte-identical. No entry id: a question about fixing a record may belong to a neighbour.
  for (const b of BUREAUS) {
    const { entries } = await loadKnowledge(projectPath(b.dir), { today: '2026-09-01' });
    const zh = entries.filter((e) => e.lang === 'zh').sort((x, y) => x.id.localeCompare(y.id));
    for (let i = 0; i < LOOKALIKES_PER_BUREAU; i++) {
      const entry = zh[i % zh.length]!;
      push({ bureau: b.bureau, text: fill(rng, composeLookalike(rng, topicOf(entry, rng), entry.title), b.area), intent: 'kb' });
    }
    for (let i = 0; i < 30; i++) push({ bureau: b.bureau, text: composePresenceGreeting(rng), intent: 'greeting' });
    for (let i = 0; i < 10; i++) push({ bureau: b.bureau, text: composeEnglishStatus(rng), intent: 'status' });
  }
  for (const b of BUREAUS) for (let i = 0; i < 40; i++) push({ bureau: b.bureau, text: fill(rng, composeDecisionPetition(rng), b.area), intent: 'petition' });
  return rows;
}
