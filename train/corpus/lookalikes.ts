import type { Rng } from './random.js';

/**
 * Knowledge questions that look like something else (hard negatives, all `kb`), written from an entry's own topic:
 * a record to fix or correct, an application that went wrong, whether something is allowed, how a complaint or an
 * objection is made, whether a procedure costs money, a hardship and whether a service exists for it, a bare
 * procedure keyword, and opening hours asked after a greeting. A linear model otherwise learns "mentions a mistake /
 * an application / a complaint" → case and "opens with a greeting" → greeting.
 */
const MISTAKE = [
  '名字写错了', '出生日期录错了', '身份证号填错了', '信息填得不对', '照片用错了', '少交了一份材料', '漏填了一项', '证件弄丢了',
  '表格弄丢了', '家庭住址写错了', '性别录反了', '户籍信息对不上', '有一个字打错了', '民族填错了',
];
const FIX_ASK = [
  '怎么改', '去哪更正', '还能改吗', '能补吗', '怎么补办', '要重新申请吗', '去哪里修改', '需要带什么去改', '改一下要多久', '找谁改',
  '怎么办', '要怎么弄', '更正流程是什么', '可以网上改吗',
];
const WENT_WRONG = ['没赶上', '被退回来了', '没通过', '审核没过', '晚交了几天', '忘了办', '材料不齐被退件了', '系统里查不到'];
const RETRY_ASK = ['还能补办吗', '怎么重新申请', '还有机会吗', '下次什么时候能再申请', '能申请复核吗', '有补救办法吗', '还能再交一次吗'];
const ALLOWED = [
  '委托亲戚代办', '在网上办', '不本人到场', '异地办理', '晚一点再办', '不参加', '自己选', '分两次交材料', '用复印件', '家长代签',
  '中途退出', '跨区办理', '不交', '提前办',
];
const ALLOWED_FORM = ['{t}可以{a}吗', '{t}能不能{a}', '{t}允许{a}吗', '{t}，{a}行不行', '请问{t}可不可以{a}', '{t}是强制的吗', '{t}有没有硬性规定', '不办{t}会有影响吗', '{t}是必须的吗'];
const OBJECTION = ['有疑问', '有意见', '的结果不满意', '的处理有异议', '的规定不太理解', '方面有问题'];
const OBJECTION_ASK = ['应该向哪里反映', '可以找哪个部门', '走什么程序', '去哪里申诉', '有没有复核的渠道', '可以投诉到哪里', '找谁说', '能提意见吗'];
const PROCEDURE_COMPLAINT = ['在哪投诉', '投诉电话是多少', '找谁反映', '举报渠道有哪些', '投诉要准备什么', '举报需要实名吗', '投诉了多久有结果'];
const FREE = ['是免费的吗', '要不要交钱', '收不收费', '需要花钱吗', '有费用吗', '要交工本费吗', '免费不'];
const HARDSHIP = [
  '孩子是残疾，行动不方便', '孩子得了重病，长期在家休养', '家里突然出了变故，收入没了', '孩子有自闭症，跟不上班里的进度', '孩子腿骨折了，几个月去不了学校',
  '我们是单亲家庭，经济很困难', '孩子听力不好，一直戴助听器', '孩子长期住院，没法到校', '孩子父母都不在身边，由爷爷奶奶带', '家里有两个孩子同时上学，负担很重',
];
const SERVICE_ASK = ['有没有{t}这种安排', '能不能申请{t}', '区里有没有{t}的政策', '{t}方面有没有照顾', '{t}能帮上忙吗', '符合{t}的条件吗', '可以办{t}吗'];
const BARE = ['{t}', '{t}', '{t}申请', '{t}办理', '{t}手续', '{t}流程', '申请{t}', '办{t}', '{t}怎么申请', '{t}补办', '{t}更正', '{t} 申请条件'];
const GREET = ['你好，', '您好，', '早上好，', '下午好，', '老师好，', '打扰了，', '领导好，', 'hi，', '您好！', '你好 ', '老师您好，', '晚上好，', '上午好，'];
const HOURS = [
  '你们几点上班', '几点下班', '中午休息吗', '周六开门吗', '周末办公吗', '节假日能办事吗', '几点开始办公', '下午几点停止受理', '{t}窗口几点开',
  '办{t}要上班时间去吗', '现在还能去办吗', '明天上班吗', '放假期间有人值班吗', '工作时间是几点到几点', '星期天办公吗', '中午去能办{t}吗',
  '几点开门', '寒暑假正常上班吗', '办公时间是什么时候',
];
/** Opening hours asked as whether anyone is there at a time: a question, unlike a bare "有人吗" (a greeting). */
const AT_TIME = ['周六', '星期天', '晚上', '下班以后', '五一假期', '寒假里', '早上八点前', '节假日', '午休时间', '下午五点以后'];
const OFFICE = ['你们单位', '办事窗口', '办事大厅', '你们那边', '局里', '{t}窗口'];
const ATTENDED = ['{o}{w}有人吗', '{w}{o}有人上班吗', '{w}过去能找到人吗', '{o}{w}有人值班吗', '{w}{o}还有人在吗', '{w}去办{t}有人接待吗'];
const END = ['', '', '', '？', '?', '呀', '，谢谢', '呢'];

/**
 * Their counterpart: a greeting that only checks someone is there ("你好，有人在吗"), which stays a greeting. Without
 * it, the greeting-led questions above teach the model that any greeting with more words after it is a question.
 */
const PRESENCE = ['有人吗', '在吗', '在不在', '有人在吗', '有没有人', '人呢', '有人在线吗', '能看到吗', '有工作人员在吗', '在线吗'];
const FILLER = ['', '', '请问', '问一下', '想问下', '那个'];

export function composePresenceGreeting(rng: Rng): string {
  return `${rng.pick(GREET)}${rng.pick(FILLER)}${rng.pick(PRESENCE)}${rng.pick(['', '？', '?', '~', '？？'])}`;
}

/** Entries about a record, a certificate or an application: the ones a parent asks to fix or correct. */
const RECORD = /学籍|证|证明|档案|资格|报名|登记|申请|认定|注册|信息|更正|补办|转学|休学|复学|入学/u;

const put = (form: string, topic: string, extra = '') => form.replace(/\{t\}/g, topic).replace(/\{a\}/g, extra);

export function composeLookalike(rng: Rng, topic: string, title: string): string {
  const recordLike = RECORD.test(title) || RECORD.test(topic);
  const style = rng.int(recordLike ? 9 : 7);
  let core: string;
  if (style === 0) core = put(rng.pick(ALLOWED_FORM), topic, rng.pick(ALLOWED));
  else if (style === 1) core = `对${topic}${rng.pick(OBJECTION)}，${rng.pick(OBJECTION_ASK)}`;
  else if (style === 2) core = `${topic}${rng.pick(['的问题', '方面', '这块', ''])}${rng.pick(PROCEDURE_COMPLAINT)}`;
  else if (style === 3) core = `${rng.pick(['申请', '办理', '办', ''])}${topic}${rng.pick(FREE)}`;
  else if (style === 4) core = `${rng.pick(HARDSHIP)}，${put(rng.pick(SERVICE_ASK), topic)}`;
  else if (style === 5) return put(rng.pick(BARE), topic);
  else if (style === 6 && rng.chance(0.3)) core = put(rng.pick(ATTENDED).replace('{o}', rng.pick(OFFICE)).replace('{w}', rng.pick(AT_TIME)), topic);
  else if (style === 6) core = `${rng.pick(GREET)}${put(rng.pick(HOURS), topic)}`;
  else if (style === 7) core = `${rng.pick(['孩子', '我家孩子', '我', '孩子的', ''])}${topic}${rng.pick(['的时候', '时', '上', '里'])}${rng.pick(MISTAKE)}，${rng.pick(FIX_ASK)}`;
  else core = `${topic}${rng.pick(WENT_WRONG)}，${rng.pick(RETRY_ASK)}`;
  const end = rng.pick(END);
  return /[吗不]$/u.test(core) && /^[呀呢]$/u.test(end) ? core : core + end;
}
