import { t } from '../i18n/index.js';
import '../i18n/shared-chat.js';
import { detectIntent, type DetectedIntent } from '../intents/index.js';
import { maskPersonalData } from '../privacy/mask.js';
import { CASE_TYPES, type ButtonPayload, type CaseType, type Locale, type Reply } from '../types.js';
import { answerAlternative, answerQuestion, recordFeedback } from './answer.js';
import { say, type TurnContext } from './context.js';
import { localeFromText } from './menu.js';
import { isObjection } from './objection.js';
import { typedStars } from './status.js';
import { asksToWithdraw } from './withdraw.js';

/**
 * A group chat (a 家长群): everyone in it reads what the bot says, and every parent writes under the one chat id.
 * So the bot answers policy questions there and nothing else: filing, contact details, status, ratings, objections,
 * withdrawals, handoffs and privacy requests are each sent to a private chat with a deep link that opens the same
 * request there (`/start file`, …: see `openFromLink`). Nothing of a case is ever said in the group, and no flow runs
 * under the group's id, so one parent can never complete, rate or withdraw another parent's request.
 */

/** What a deep link opens in the private chat: Telegram's `start` parameter ([A-Za-z0-9_-], ≤ 64 characters). */
export type PrivateTopic = 'file' | `file_${CaseType}` | 'status' | 'rate' | 'withdraw' | 'human' | 'privacy';

/** Buttons that stay in a group: they act on no case and no person (answers, feedback, language, the help menu). */
const GROUP_BUTTONS = new Set<ButtonPayload['kind']>(['ask', 'feedback', 'lang']);

/** Commands a group may use; every other command that means something personal is sent to the private chat. */
const COMMAND_TOPICS: Record<string, PrivateTopic> = {
  case: 'file',
  file: 'file',
  status: 'status',
  rate: 'rate',
  privacy: 'privacy',
  human: 'human',
};

const INTENT_TOPICS: Partial<Record<string, PrivateTopic>> = {
  petition: 'file',
  human: 'human',
  status: 'status',
  rate: 'rate',
  privacy: 'privacy',
};

/** Words that only answer a step of a flow (a confirm, a skip, a choice), in either language. */
const FLOW_WORDS = /^(?:确认|确定|确认提交|提交|是|是的|对|对的|好|好的|可以|没错|不留|不留电话|修改|yes|y|ok|okay|confirm|submit|skip)[。.!！~]*$/iu;

export async function routeSharedChat(ctx: TurnContext): Promise<Reply[]> {
  const { incoming, state } = ctx;
  // A flow or an offer kept under a group's id (from before groups were kept to questions) is dropped, never continued.
  for (const key of ['filing', 'handoff', 'erase', 'objection', 'reopened', 'withdraw', 'objectionHeld', 'closedAddition', 'rating'] as const) delete state[key];
  state.recent = [];
  const personalNumber = incoming.sharedContact !== undefined || maskPersonalData(incoming.text) !== incoming.text;
  if (personalNumber) return [groupSay(ctx, 'personalData'), toPrivate(ctx, 'file')];

  if (incoming.action) {
    const action = incoming.action;
    if (GROUP_BUTTONS.has(action.kind) || (action.kind === 'menu' && action.item === 'help')) return keepToQuestions(ctx, await answerAction(ctx, action));
    return [toPrivate(ctx, topicOfAction(action))];
  }
  const command = incoming.command?.toLowerCase();
  if (command === 'lang') return [groupLanguage(ctx, localeFromText(incoming.text))];
  if (command === 'start' || command === 'help' || command === 'menu' || command === 'cancel') return [groupHelp(ctx)];
  const commanded = command ? COMMAND_TOPICS[command] : undefined;
  if (commanded) return [toPrivate(ctx, commanded)];

  const detected = detectIntent(ctx.deps.intents, incoming.text);
  const topic = personalTopic(ctx, detected);
  if (topic) return [toPrivate(ctx, topic)];
  // A flow's answer word (确认, 不留电话…) in a group confirms nothing: no flow runs here; what the bot does is said.
  if (FLOW_WORDS.test(incoming.text.trim())) return [groupHelp(ctx)];
  switch (detected.intent) {
    case 'language':
      return [groupLanguage(ctx, localeFromText(incoming.text))];
    case 'greeting':
    case 'help':
    case 'cancel':
      return [groupHelp(ctx)];
    case 'thanks':
    case 'farewell':
      return [say(ctx, detected.intent)];
    default:
      if (!/[\p{L}\p{N}]/u.test(incoming.text)) return [groupHelp(ctx)];
      return keepToQuestions(ctx, await answerQuestion(ctx, incoming.text));
  }
}

/** What a typed message asks for that concerns the writer's own case or details; null for a question. */
function personalTopic(ctx: TurnContext, detected: DetectedIntent): PrivateTopic | null {
  const text = ctx.incoming.text;
  if (asksToWithdraw(text)) return 'withdraw';
  if (detected.intent === 'petition') return detected.caseType ? `file_${detected.caseType}` : 'file';
  const byIntent = INTENT_TOPICS[detected.intent];
  if (byIntent) return byIntent;
  // A reply to a case message or a case code: about that case. Stars or 不满意: a rating or an objection.
  if (ctx.incoming.replyToCaseCode || detected.caseCode) return 'status';
  if (isObjection(text) || typedStars(ctx, text, true) !== null) return 'rate';
  return null;
}

/**
 * `/start TOPIC` in a private chat, from a group's deep link: the payload, checked against the known topics, as the
 * request the parent began in the group. Null: not a topic (a plain /start).
 */
export function topicFromLink(payload: string): { topic: PrivateTopic; caseType?: CaseType } | null {
  const [head, type] = payload.trim().split('_');
  if (head === 'file' && type === undefined) return { topic: 'file' };
  if (head === 'file' && (CASE_TYPES as readonly string[]).includes(type ?? '')) return { topic: `file_${type as CaseType}`, caseType: type as CaseType };
  if (type === undefined && (['status', 'rate', 'withdraw', 'human', 'privacy'] as const).includes(head as 'status')) return { topic: head as PrivateTopic };
  return null;
}

/** The line that opens a private chat reached through a group's link. */
export const privateWelcome = (ctx: TurnContext): Reply => groupSay(ctx, 'welcome');

function topicOfAction(action: ButtonPayload): PrivateTopic {
  switch (action.kind) {
    case 'case-type':
      return `file_${action.type}`;
    case 'rate':
    case 'reopen':
      return 'rate';
    case 'menu':
      return action.item === 'help' ? 'file' : action.item;
    default:
      return 'file';
  }
}

async function answerAction(ctx: TurnContext, action: ButtonPayload): Promise<Reply[]> {
  switch (action.kind) {
    case 'ask':
      return answerAlternative(ctx, action.entryId, action.section, action.questionId);
    case 'feedback':
      return recordFeedback(ctx, action.messageId, action.helpful);
    case 'lang':
      return [groupLanguage(ctx, action.locale)];
    default:
      return [groupHelp(ctx)];
  }
}

/** The private chat's address with the topic to open, or words naming it when the channel has no link. */
function linkTo(ctx: TurnContext, topic: PrivateTopic | null): string {
  const url = ctx.incoming.sharedChat?.privateChatUrl;
  if (!url) return t(ctx.locale, 'group.noLink');
  return topic ? `${url}?start=${topic}` : url;
}

function toPrivate(ctx: TurnContext, topic: PrivateTopic): Reply {
  const what = t(ctx.locale, `group.what.${topic.startsWith('file') ? 'file' : topic}`);
  return { text: t(ctx.locale, 'group.private', { what, link: linkTo(ctx, topic) }) };
}

function groupHelp(ctx: TurnContext): Reply {
  return { text: t(ctx.locale, 'group.help', { link: linkTo(ctx, null), bureau: ctx.deps.config.BUREAU_NAME, phone: ctx.deps.config.BUREAU_PHONE }) };
}

/**
 * A language asked for in a group ("/lang en", "说英文"): one member's choice must not switch the language every other
 * parent is answered in, so it is not stored; this reply is in the language asked for, and the way to keep one is said.
 */
function groupLanguage(ctx: TurnContext, locale: Locale | null): Reply {
  if (!locale) return { text: t(ctx.locale, 'group.languageAsk', { link: linkTo(ctx, null) }) };
  ctx.locale = locale;
  return groupSay(ctx, 'language');
}

function groupSay(ctx: TurnContext, key: string): Reply {
  return { text: t(ctx.locale, `group.${key}`) };
}

/**
 * Replies for the group with every button that would act on a person or a case taken off (登记为咨询件, 转人工,
 * 登记诉求, 查询进度…); when one was, the way to the private chat is said instead.
 */
export function keepToQuestions(ctx: TurnContext, replies: Reply[]): Reply[] {
  let removed = false;
  const kept = replies.map((reply) => {
    if (!reply.buttons) return reply;
    const rows = reply.buttons
      .map((row) => row.filter((b) => GROUP_BUTTONS.has(b.payload.kind) || (b.payload.kind === 'menu' && b.payload.item === 'help')))
      .filter((row) => row.length > 0);
    if (rows.flat().length < reply.buttons.flat().length) removed = true;
    const { buttons: _dropped, caseCode: _case, ...rest } = reply;
    return rows.length > 0 ? { ...rest, buttons: rows } : rest;
  });
  return removed ? [...kept, { text: t(ctx.locale, 'group.more', { link: linkTo(ctx, 'file') }) }] : kept;
}
