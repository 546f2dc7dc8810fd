import { t } from '../i18n/index.js';
import '../i18n/intake.js';
import { OPEN_STATES } from '../cases/transitions.js';
import { maskPhones } from '../privacy/mask.js';
import type { Reply } from '../types.js';
import type { TurnContext } from './context.js';
import { readPhoneAnswer } from './contact-reply.js';
import { tk } from './intake-text.js';

/**
 * A phone sent after filing without one ("我的电话是139…", the number alone, "my phone is …", the parent's own contact
 * card): what parents do once they see staff cannot call them back. It becomes the contact of the chat's open cases
 * that have none, and staff see it on the case; null when the message is no phone alone or no open case lacks one.
 */
export async function addLateContact(ctx: TurnContext, cardPhone?: string): Promise<Reply[] | null> {
  const add = ctx.deps.cases.addCitizenContact;
  if (!add) return null;
  const phone = cardPhone ?? phoneAlone(ctx.incoming.text);
  if (!phone) return null;
  const { chatId, channel } = ctx.incoming;
  const open = await ctx.deps.cases.list({ chatId, channel, states: [...OPEN_STATES], limit: 20 });
  const lacking = open.filter((r) => r.chatId === chatId && r.channel === channel && !r.contact);
  if (lacking.length === 0) return null;
  const note = t(ctx.deps.config.DEFAULT_LOCALE, 'intake.lateContact.note', { phone });
  const added: string[] = [];
  for (const record of lacking) if (await add.call(ctx.deps.cases, record.code, phone, note)) added.push(record.code);
  if (added.length === 0) return null;
  return [{ text: tk(ctx, 'lateContact.added', { phone: maskPhones(phone), codes: added.join('、') }), caseCode: added[0]! }];
}

/** Words about the phone itself ("刚才忘了留电话", "my number"): a note that says nothing else. */
const ABOUT_PHONE = /电话|手机|号码|联系方式|\b(?:phone|number|mobile)\b/iu;

/** The number when the message is the parent's phone and says nothing else (no note, or one about the phone itself). */
function phoneAlone(text: string): string | null {
  const answer = readPhoneAnswer(text);
  return answer && (answer.note === null || ABOUT_PHONE.test(answer.note)) ? answer.phone : null;
}
