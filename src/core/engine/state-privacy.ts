import { maskPersonalData } from '../privacy/mask.js';
import { contactInText } from './phone.js';
import type { ConversationState, FilingState } from './state.js';

/**
 * The conversation state as it is stored: the parent's words in it with phones and ID numbers masked, the one number
 * a case may need kept apart, normalised. A petition being filed holds its text masked and the parent's phone written in
 * it as `textPhone` (the case's contact when none is given, submitFiling); a second petition held for later, as
 * `nextPhone`; the recent lines a handoff carries, masked, and the last phone the parent wrote in them as
 * `recentPhone` (a handoff case's contact when it has none). Held for one turn and left as written (the very next
 * message takes or drops them): `addendum`, `closedAddition`, `objectionHeld`, `lateContact`; the 身份证明 typed for a 政府信息公开申请
 * (`applicantIdNumber`, until submitted; shown masked everywhere).
 *
 * The engine's flow sets textPhone / nextPhone / recentPhone from the text as it arrives (a forwarded notice's number
 * is its sender's: null); a state stored before (migration 0043) gets them here, from the text before it is masked.
 */
export function maskStoredState(state: ConversationState): ConversationState {
  const recent = state.recent.map(maskPersonalData);
  const recentPhone = state.recentPhone !== undefined ? state.recentPhone : lastParentPhone(state.recent);
  return {
    ...state,
    ...(state.filing ? { filing: maskFiling(state.filing) } : {}),
    recent,
    ...(recentPhone ? { recentPhone } : {}),
    asked: state.asked.map((a) => ({ ...a, text: maskPersonalData(a.text) })),
  };
}

function maskFiling(filing: FilingState): FilingState {
  const masked: FilingState = { ...filing };
  if (filing.content !== undefined) {
    if (filing.textPhone === undefined) masked.textPhone = contactInText(filing.content);
    masked.content = maskPersonalData(filing.content);
  }
  if (filing.next !== undefined) {
    if (filing.nextPhone === undefined) masked.nextPhone = contactInText(filing.next);
    masked.next = maskPersonalData(filing.next);
  }
  if (filing.added !== undefined) masked.added = maskPersonalData(filing.added);
  if (filing.heldLast !== undefined) masked.heldLast = maskPersonalData(filing.heldLast);
  if (filing.contentParts) masked.contentParts = filing.contentParts.map((p) => ({ ...p, message: maskPersonalData(p.message), taken: maskPersonalData(p.taken) }));
  return masked;
}

/** A recent line of the parent's, labelled in either staff language ("家长: …", "Parent: …"). */
const PARENT_LINE = /^(?:家长|Parent): /u;

/** The parent's phone in the newest of their recent lines that has one. */
function lastParentPhone(lines: readonly string[]): string | null {
  for (const line of [...lines].reverse()) {
    if (!PARENT_LINE.test(line)) continue;
    const phone = contactInText(line.replace(PARENT_LINE, ''));
    if (phone) return phone;
  }
  return null;
}
