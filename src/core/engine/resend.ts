import { OPEN_STATES } from '../cases/transitions.js';
import type { Reply } from '../types.js';
import type { TurnContext } from './context.js';
import { readPhoneAnswer } from './contact-reply.js';
import { prompt } from './filing-prompts.js';
import { tk } from './intake-text.js';
import type { FilingState } from './state.js';

/**
 * The same petition sent again (the parent thought the first did not go through, or a client resent it on a bad
 * connection): not "另一条诉求", and never filed twice. Texts are compared without spaces and punctuation.
 */
const comparable = (text: string) => text.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();

/** At least this many letters or digits: a short "我要投诉" sent twice is no resend of a whole petition. */
const MIN_COMPARED = 5;

/** The message repeats what the petition being filed already says: said so, and the step asked again. */
export function resentInFiling(ctx: TurnContext, filing: FilingState, text: string): Reply[] | null {
  const again = comparable(text);
  // A phone number that is also written in the petition answers the phone step: it is no resend.
  if (readPhoneAnswer(text) !== null) return null;
  if ([...again].length < MIN_COMPARED || !filing.content || !comparable(filing.content).includes(again)) return null;
  return [{ text: tk(ctx, 'resend.inFiling') }, prompt(ctx, filing)];
}

/** The message repeats an open case of this chat: its code, nothing filed. */
export async function resentFiled(ctx: TurnContext, text: string): Promise<Reply[] | null> {
  const again = comparable(text);
  if ([...again].length < MIN_COMPARED) return null;
  const { chatId, channel } = ctx.incoming;
  const open = await ctx.deps.cases.list({ chatId, channel, states: [...OPEN_STATES], limit: 20 });
  const same = open.find((r) => r.chatId === chatId && r.channel === channel && comparable(r.text).includes(again));
  return same ? [{ text: tk(ctx, 'resend.filed', { code: same.code }), caseCode: same.code }] : null;
}
