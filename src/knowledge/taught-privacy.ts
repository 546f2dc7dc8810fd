import { maskPersonalData } from '../core/privacy/mask.js';
import { CLAUSE_MARKS } from './clauses.js';

/**
 * What a taught question must not carry into a knowledge file. The knowledge folder is kept for ever, usually in
 * git and shared with the site team, outside retention and "删除我的数据": a parent's name, home address or number
 * written there would never be erased. Parents narrate who they are and where they live in clauses of their own
 * ("我是王小明妈妈，住…3号楼2单元501，电话…，孩子能上哪个小学"), so those clauses are left out and the asking
 * clause is taught. The markers are deliberately broad: leaving out a clause that was not personal costs a wording,
 * keeping one that was costs a family its privacy.
 */
export type PersonalDetail = 'number' | 'name' | 'address';

/** A phone, ID or other number (masked by maskPersonalData: its digits became *), or a long digit run left as it was. */
const NUMBER = /\*{3,}|\d{7,}/u;
/** Kin words a parent names themselves or the child by. */
const KIN = '(?:妈妈|爸爸|家长|母亲|父亲|奶奶|爷爷|姥姥|姥爷|外婆|外公|妈|爸)';
/** Words that fill the name slot without being a name: 我是孩子妈妈, 我是一年级学生家长, 我是外地家长. */
const NOT_A_NAME = /^(?:我|孩子|小孩|学生|宝宝|儿子|女儿|娃|一个|一名|一位|新生|外地|本地|外区|农村|随迁|孩的|孩|的)|年级|班|学校|小学|初中|幼儿园/u;
/** 我叫…, 我姓…, 本人姓名…, 孩子叫…/名叫…: a name follows. */
const NAMED = /我叫|我姓|本人(?:叫|姓)|姓名|名字(?:是|叫)|(?:孩子|儿子|女儿|宝宝|小孩|学生)(?:叫|名叫)/u;
/** "我是王小明妈妈…", or a clause that is only "王小明的家长": two to four Han characters before a kin word. */
const SELF_INTRODUCED = [new RegExp(`(?:我是|本人是)(\\p{Script=Han}{2,4}?)的?${KIN}`, 'u'), new RegExp(`^(\\p{Script=Han}{2,4}?)的?${KIN}$`, 'u')];
/** A home address: building, unit, room numbers, 门牌, or "住/住在/家住" a place. */
const ADDRESS = /\d+\s*(?:号楼|栋|幢|单元|室|号院|楼|户)|(?:号楼|单元)\s*\d|\d+-\d+-\d+|门牌|(?:家住|住在|住址|地址|住)\s*(?:在)?\p{Script=Han}{2,}(?:小区|街道|社区|花园|家园|村|路|街|大厦|公寓|苑|城)/u;

function detailOf(clause: string): PersonalDetail | null {
  if (NUMBER.test(clause)) return 'number';
  if (ADDRESS.test(clause)) return 'address';
  if (NAMED.test(clause)) return 'name';
  const bare = clause.replace(/[\s,，。!！?？;；、]+$/u, '');
  // "我是王小明妈妈" names; "我是孩子妈妈" or "学校让家长交钱" does not.
  for (const pattern of SELF_INTRODUCED) {
    const named = pattern.exec(bare);
    if (named && !NOT_A_NAME.test(named[1]!)) return 'name';
  }
  return null;
}

export interface TaughtWording {
  /** The wording with the clauses that carry personal details left out ('' when nothing is left). */
  text: string;
  /** What was left out, each kind once, in the order met. */
  removed: PersonalDetail[];
  /** How many clauses were left out. */
  clauses: number;
}

const CLAUSE_PIECE = new RegExp(`[^${CLAUSE_MARKS}\\s]+[${CLAUSE_MARKS}\\s]*`, 'gu');

/** `message` masked, then without its clauses that name a person, an address or a number. */
export function withoutPersonalDetails(message: string): TaughtWording {
  const masked = maskPersonalData(message).replace(/\s+/g, ' ').trim();
  // Clauses (at the marks the ranking's clauses end at, and at spaces, which parents type for commas) with the mark
  // after each, so the kept text reads as the parent wrote it.
  const pieces = masked.match(CLAUSE_PIECE) ?? [];
  const removed: PersonalDetail[] = [];
  let clauses = 0;
  let text = '';
  for (const piece of pieces) {
    const detail = detailOf(piece);
    if (detail === null) {
      text += piece;
      continue;
    }
    clauses++;
    if (!removed.includes(detail)) removed.push(detail);
  }
  return { text: text.trim().replace(/^[,，、;；\s]+|[,，、;；\s]+$/gu, ''), removed, clauses };
}
