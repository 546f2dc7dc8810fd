import type { Button, Locale, Reply } from '../types.js';
import { button, say, tr, type TurnContext } from './context.js';

/** /help: generated from the intents marked `menu: true`, in priority order. */
export function helpMenu(ctx: TurnContext): Reply[] {
  const lines = ctx.deps.intents.intents
    .filter((intent) => intent.menu)
    .map((intent) => tr(ctx, `help.item.${intent.name}`, { example: intent.examples[ctx.locale][0] ?? intent.examples.zh[0] ?? '' }));
  return [
    {
      text: [tr(ctx, 'help.title'), ...lines, tr(ctx, 'help.phone')].join('\n'),
      buttons: [
        [button(ctx, 'button.file', { kind: 'menu', item: 'file' }), button(ctx, 'button.status', { kind: 'menu', item: 'status' })],
        [button(ctx, 'button.human', { kind: 'menu', item: 'human' })],
      ],
    },
  ];
}

export function greet(ctx: TurnContext): Reply[] {
  return [say(ctx, 'greeting', {}, [[button(ctx, 'button.file', { kind: 'menu', item: 'file' }), button(ctx, 'button.status', { kind: 'menu', item: 'status' })]])];
}

export function setLanguage(ctx: TurnContext, locale: Locale | null): Reply[] {
  if (!locale) {
    return [
      {
        text: tr(ctx, 'language.ask'),
        buttons: [[{ label: '中文', payload: { kind: 'lang', locale: 'zh' } }, { label: 'English', payload: { kind: 'lang', locale: 'en' } }]],
      },
    ];
  }
  ctx.locale = locale;
  ctx.chosenLocale = locale;
  return [say(ctx, asksTraditional(ctx.incoming.text) ? 'language.traditional' : 'language.set')];
}

/** 繁体/正体 (as typed: 繁體, 正體) or "traditional Chinese": answered in Simplified Chinese, the one Chinese the bot writes. */
const asksTraditional = (text: string) => /[繁正][体體]|traditional chinese/iu.test(text);

/** Which language a "中文 / English" message asks for; null when it names none. */
export function localeFromText(text: string): Locale | null {
  if (/english|英文|英语|\ben\b/iu.test(text)) return 'en';
  if (/中文|汉语|chinese|\bzh\b/iu.test(text) || asksTraditional(text)) return 'zh';
  return null;
}

export async function privacyInfo(ctx: TurnContext): Promise<Reply[]> {
  const { RETENTION_CONVERSATION_DAYS, RETENTION_MESSAGE_DAYS, RETENTION_CASE_DAYS } = ctx.deps.config;
  ctx.state.erase = true;
  const open = await ctx.deps.store.withdrawableCaseCodesOfChat(ctx.incoming.channel, ctx.incoming.chatId);
  const info = say(ctx, 'privacy.info', {
    conversationDays: RETENTION_CONVERSATION_DAYS,
    messageDays: RETENTION_MESSAGE_DAYS,
    caseDays: RETENTION_CASE_DAYS,
  });
  // Consent covers the open cases too: confirming withdraws them before their data is erased.
  const consent = open.length > 0 ? `\n\n${tr(ctx, 'privacy.withdrawFirst', { codes: open.join('、') })}` : '';
  return [
    {
      ...info,
      text: `${info.text}${consent}`,
      buttons: eraseButtons(ctx),
    },
  ];
}

/** 确认删除 / 取消 of the privacy prompt. */
export function eraseButtons(ctx: TurnContext): Button[][] {
  return [[button(ctx, 'button.erase', { kind: 'confirm', of: 'erase' }), button(ctx, 'button.cancel', { kind: 'cancel', of: 'erase' })]];
}

/** Withdraws the chat's open cases (the parent consented on the privacy prompt), then erases its personal data. */
export async function erasePersonalData(ctx: TurnContext): Promise<Reply[]> {
  const { channel, chatId } = ctx.incoming;
  const withdrawn: string[] = [];
  for (const code of await ctx.deps.store.withdrawableCaseCodesOfChat(channel, chatId)) {
    try {
      await ctx.deps.cases.act(code, { kind: 'withdraw', note: tr(ctx, 'privacy.withdrawNote') }, 'citizen');
      withdrawn.push(code);
    } catch (error) {
      ctx.deps.logger.warn({ err: error, code }, 'could not withdraw a case before erasing personal data');
    }
  }
  // Nothing is erased while a case is still open (a withdrawal refused, or a case reopened meanwhile): the store
  // checks it in the erase's own transaction (retention-repo.ts `whileOpen: 'refuse'`).
  const result = await ctx.deps.store.eraseChat(channel, chatId, ctx.at.toISOString());
  if (result.openCases.length > 0) return [say(ctx, 'privacy.keptOpen', { codes: result.openCases.join('、') })];
  if (result.diskProblem) ctx.deps.logger.warn({ channel, problem: result.diskProblem }, 'personal data erased, but not yet from disk');
  ctx.skipSave = true;
  const replies = [say(ctx, 'privacy.erased', { messages: result.messages, cases: result.cases })];
  if (withdrawn.length > 0) replies.push(say(ctx, 'privacy.openCases', { codes: withdrawn.join('、') }));
  return replies;
}
