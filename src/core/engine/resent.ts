import { maskPersonalData } from '../privacy/mask.js';
import { tr, type TurnContext } from './context.js';
import { repeatsPetition } from './filing.js';
import { tk } from './intake-text.js';
import type { Reply } from '../types.js';

/**
 * A petition sent again after it was filed (the parent thought it did not go through, or resent it to be sure): when
 * its text is that of an open case of this chat (repeatsPetition), the parent gets that case's code and state instead
 * of a second, identical case — staff would close it as 重复件 and the counts would go up by one. A different text, or
 * one of a case already closed, is filed as usual. Null: no such case.
 */
export async function alreadyFiled(ctx: TurnContext, text: string): Promise<Reply[] | null> {
  const open = await ctx.deps.cases.openCasesOfChat({ channel: ctx.incoming.channel, chatId: ctx.incoming.chatId });
  // The newest such case (the list is oldest first); stored case text has its phones and ID numbers masked.
  const same = open.filter((r) => repeatsPetition(maskPersonalData(text), r.text)).at(-1);
  if (!same) return null;
  return [{ text: tk(ctx, 'resent.filed', { code: same.code, state: tr(ctx, `state.${same.state}`) }), caseCode: same.code }];
}
