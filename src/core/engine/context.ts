import { t } from '../i18n/index.js';
import '../i18n/chat.js';
import type { Button, ButtonPayload, Incoming, Locale, Reply } from '../types.js';
import type { ConversationState } from './state.js';
import type { EngineDeps } from './types.js';

/** Everything one `handle` call works with; handlers mutate `state` and return replies. */
export interface TurnContext {
  incoming: Incoming;
  deps: EngineDeps;
  state: ConversationState;
  locale: Locale;
  /** Set by /lang: stored as the chat's explicit choice. */
  chosenLocale: Locale | null;
  at: Date;
  /** Set after an erase: the conversation row is gone and must not be rewritten. */
  skipSave: boolean;
}

export function tr(ctx: TurnContext, key: string, params: Record<string, string | number> = {}): string {
  return t(ctx.locale, `chat.${key}`, {
    bureau: ctx.deps.config.BUREAU_NAME,
    phone: ctx.deps.config.BUREAU_PHONE,
    ...params,
  });
}

export function button(ctx: TurnContext, labelKey: string, payload: ButtonPayload, params: Record<string, string | number> = {}): Button {
  return { label: tr(ctx, labelKey, params), payload };
}

export function say(ctx: TurnContext, key: string, params: Record<string, string | number> = {}, buttons?: Button[][]): Reply {
  const text = tr(ctx, key, params);
  return buttons && buttons.length > 0 ? { text, buttons } : { text };
}

/** Records the decision on one citizen message; returns the messages row id. */
export async function logDecision(
  ctx: TurnContext,
  intent: string,
  fields: {
    text?: string | null;
    answered?: boolean;
    confident?: boolean;
    entryId?: string | null;
    section?: string | null;
    score?: number | null;
    questionId?: number | null;
  } = {},
): Promise<number> {
  return ctx.deps.store.insertMessage(
    {
      channel: ctx.incoming.channel,
      chatId: ctx.incoming.chatId,
      text: fields.text ?? null,
      intent,
      answered: fields.answered ?? false,
      confident: fields.confident ?? false,
      entryId: fields.entryId ?? null,
      section: fields.section ?? null,
      score: fields.score ?? null,
      questionId: fields.questionId ?? null,
    },
    ctx.at,
  );
}
