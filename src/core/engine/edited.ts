import type { Reply } from '../types.js';
import type { TurnContext } from './context.js';
import { echoed } from './filing.js';
import { contentProblem, FILING_MAX_CHARS } from './filing-checks.js';
import { prompt } from './filing-prompts.js';
import { tk } from './intake-text.js';
import { maskPersonalData } from '../privacy/mask.js';
import { contactInText, findPhone } from './phone.js';

/** A phone as the masker writes it (139****5678, 024-****01): the content still names one. */
const MASKED_PHONE = /\d\*{4}\d{2}/;

/**
 * A message the citizen edited after sending it (`incoming.edited`). Its answer or case already went out, so it is
 * not handled again — except that a petition not yet submitted whose content came from that message takes the new
 * wording: the parent corrects a detail before pressing 确认提交, and the case is filed once, with the final text
 * (asking them to send it again would file the old and the new wording as two cases).
 */
export function onEditedMessage(ctx: TurnContext): Reply[] {
  const filing = ctx.state.filing;
  if (!filing) return [{ text: tk(ctx, 'edited.notProcessed') }];
  const part = filing.contentParts?.find((p) => p.id === ctx.incoming.messageId);
  const at = part && filing.content ? filing.content.indexOf(part.taken) : -1;
  if (!part || !filing.content || at < 0) return [{ text: tk(ctx, 'edited.inFiling') }, prompt(ctx, filing)];
  // The parts are stored masked (state-privacy.ts): the edited message is read as they were.
  const taken = wordsTaken(part, maskPersonalData(ctx.incoming.text));
  const content = `${filing.content.slice(0, at)}${taken}${filing.content.slice(at + part.taken.length)}`;
  const problem = contentProblem(content);
  if (problem?.problem === 'tooLong')
    return [{ text: tk(ctx, 'edited.tooLong', { length: [...content].length, max: FILING_MAX_CHARS }) }, prompt(ctx, filing)];
  if (problem || !taken) return [{ text: tk(ctx, 'edited.inFiling') }, prompt(ctx, filing)];
  if (filing.added === part.taken) filing.added = taken;
  filing.content = content;
  part.message = ctx.incoming.text;
  part.taken = taken;
  // A phone written into the corrected text is offered as the contact, as when it was first sent.
  // The number is read from the edited message (the rest of the content holds its numbers masked); a content that
  // still shows a masked number elsewhere keeps the one found before.
  const phone = findPhone(ctx.incoming.text);
  const stillHasOne = MASKED_PHONE.test(content.replace(taken, ''));
  if (phone) filing.textPhone = contactInText(ctx.incoming.text) ?? filing.textPhone;
  else if (!stillHasOne) filing.textPhone = null;
  if (filing.contact === undefined) {
    if (phone) filing.foundPhone = phone;
    else if (!stillHasOne) delete filing.foundPhone;
  }
  return [{ text: tk(ctx, 'edited.applied', { text: echoed(taken) }) }, prompt(ctx, filing)];
}

/** The words of the edited message that replace the old ones: the same opening and ending cut as when it was first sent. */
function wordsTaken(part: { message: string; taken: string }, edited: string): string {
  const start = part.message.indexOf(part.taken);
  const before = part.message.slice(0, start);
  const after = part.message.slice(start + part.taken.length);
  const inner = edited.startsWith(before) && edited.endsWith(after) && edited.length >= before.length + after.length;
  return (inner ? edited.slice(before.length, edited.length - after.length) : edited).trim();
}
