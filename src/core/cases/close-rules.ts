import { caseError } from '../i18n/errors-text.js';
import type { CaseFields } from '../../storage/cases-repo.js';
import { RESULT_CORRECTION_ABANDONED, canonicalResult, RESULT_PETITION_IN_DISGUISE, RESULT_STILL_UNCLEAR, isNotProcessedResult } from './disclosure.js';
import { ORG_ID_TYPE, PERSON_ID_TYPES, idTypeFitsApplicant } from './identity.js';
import { botCanReach } from './answer-way.js';
import { normalisePhone } from './contact.js';
import { OPEN_STATES } from './transitions.js';
import { ANSWER_WAYS, type CaseAction, type CaseEventRecord, type CaseRecord, type CloseBasis } from './types.js';

type CloseAction = Extract<CaseAction, { kind: 'close' }>;

/** What closing needs to know beyond the case row (read by the desk in the same transaction). */
export interface CloseContext {
  /** Basis duplicate: the case it repeats (found by the desk, which refuses an unknown code first). */
  duplicateTarget?: CaseRecord | null;
  /** When the citizen wrote after the case's last 联系不上 transition (their latest such message), or null. */
  citizenWroteAfterUnreachable?: string | null;
  /** A disclosure request whose 补正 is still awaited (its clock stopped, no deadline). */
  correctionAwaited?: boolean;
  /**
   * A disclosure request's 补正 (第三十条): the day the awaited one was asked and the last day the applicant may send it
   * (null: no period stated), whether that day has passed, and whether a 补正 was ever received.
   */
  correction?: { askedOn: string | null; replyDue: string | null; lapsed: boolean; received: boolean };
}

/** 第三十条: 视为放弃申请 only after a 补正 was asked and its period ran out; 补正后仍不明确 only after one arrived. */
function checkCorrectionResult(code: string, result: string, context: CloseContext): void {
  const c = context.correction ?? { askedOn: null, replyDue: null, lapsed: false, received: false };
  if (result === RESULT_CORRECTION_ABANDONED) {
    if (!context.correctionAwaited || !c.askedOn) throw refuse('closeAbandonedNoCorrection', code);
    if (!c.lapsed) throw caseError('case_invalid', 'closeAbandonedTooEarly', { code, asked: c.askedOn, due: c.replyDue ?? '-' });
  }
  if (result === RESULT_STILL_UNCLEAR && !c.received) throw refuse('closeUnclearNoCorrection', code);
}

/**
 * When the citizen last wrote after the case's latest 联系不上 transition (ISO), or null: then the case cannot be
 * closed as 联系不上. Events oldest first.
 */
export function citizenWroteAfterUnreachable(events: readonly CaseEventRecord[]): string | null {
  let marked = -1;
  events.forEach((e, i) => {
    if (e.kind === 'transition' && e.toState === 'unreachable') marked = i;
  });
  if (marked < 0) return null;
  return events.slice(marked + 1).filter((e) => e.actor === 'citizen' && e.kind === 'followup').at(-1)?.at ?? null;
}

/** A contact compared as the citizen's: a phone by its digits, anything else (e-mail, address) as typed, case-blind. */
const contactKey = (contact: string | null) => (contact ? normalisePhone(contact) ?? contact.trim().toLowerCase() : null);

/**
 * The same citizen filed both: the same chat (channel and chat id), or the same contact. Two parents reporting the
 * same school are two citizens, each owed an answer.
 */
export function sameCitizen(a: CaseRecord, b: CaseRecord): boolean {
  if (a.chatId && a.channel === b.channel && a.chatId === b.chatId) return true;
  const key = contactKey(a.contact);
  return key !== null && key === contactKey(b.contact);
}

const refuse = (key: string, code: string) => caseError('case_invalid', key, { code });

/**
 * What closing a case sets, or AppError('case_invalid') saying what is missing. A case is closed
 * only with an answer the parent got: a reply since it was (re)opened, or a closing message to
 * them (the note), or a reason they are told: duplicate of another case, 不予处理, or unreachable.
 * A 政府信息公开申请 also needs its table 三 result; 不予处理 defaults to 第三十九条 (信访举报投诉类申请).
 */
export function closeFields(record: CaseRecord, action: CloseAction, at: string, context: CloseContext = {}): CaseFields {
  const note = action.note.trim();
  // An unreachable citizen without a chat cannot read a closing note: it is the record of why it closes unanswered.
  const unreachable = record.state === 'unreachable' && (!note || (!botCanReach(record) && !action.via));
  const basis: CloseBasis = action.basis ?? (record.repliedAt ? 'answered' : unreachable ? 'unreachable' : 'message');
  const code = record.code;
  // A closing message or a 不予处理 reason is the citizen's answer: without a chat, staff give it and say how.
  if ((basis === 'message' || basis === 'not-processed') && !botCanReach(record) && !action.via)
    throw caseError('case_invalid', 'closeNeedsWay', { code, ways: ANSWER_WAYS.join('/') });
  switch (basis) {
    case 'answered':
      if (!record.repliedAt)
        throw refuse('closeNotReplied', code);
      break;
    case 'message':
      if (!note) throw refuse('closeNeedsMessage', code);
      break;
    case 'duplicate':
      if (!action.duplicateOf) throw refuse('closeNeedsDuplicate', code);
      if (action.duplicateOf.trim().toUpperCase() === code) throw refuse('closeSelfDuplicate', code);
      // "将在 … 中一并办理答复" is a promise only the citizen's own case still being handled can keep: another parent's
      // case is not theirs to read, and a case no longer handled will never answer them.
      if (context.duplicateTarget) {
        const other = context.duplicateTarget;
        if (!sameCitizen(record, other))
          throw caseError('case_invalid', 'closeDuplicateOtherCitizen', { code, other: other.code });
        if (!OPEN_STATES.includes(other.state))
          throw caseError('case_invalid', 'closeDuplicateNotOpen', { code, other: other.code, state: other.state });
      }
      break;
    case 'not-processed':
      if (!note) throw refuse('closeNeedsReason', code);
      break;
    case 'unreachable':
      // The citizen answered after it was marked (a reply to the 联系不上 message, a follow-up): not unreachable.
      if (context.citizenWroteAfterUnreachable)
        throw caseError('case_invalid', 'closeCitizenAnswered', { code, at: context.citizenWroteAfterUnreachable });
      if (!record.unreachable && record.state !== 'unreachable')
        throw refuse('closeNotUnreachable', code);
      break;
  }
  let result = action.disclosureResult ?? record.disclosureResult ?? null;
  if (record.type === 'disclosure') {
    if (basis === 'not-processed' && !(result && isNotProcessedResult(result))) result = action.disclosureResult ?? RESULT_PETITION_IN_DISGUISE;
    if (!result)
      throw refuse('closeNeedsResult', code);
    if (basis === 'not-processed' && !isNotProcessedResult(result))
      throw refuse('closeResultNotProcessed', code);
    // While a 补正 is awaited no answer period runs: an answer given then would never be judged in time or late (the
    // annual report's "均在法定期限内答复"). Record the 补正's arrival first; or close it as abandoned / 不予处理.
    if (context.correctionAwaited && canonicalResult(result) !== RESULT_CORRECTION_ABANDONED && !isNotProcessedResult(result))
      throw refuse('closeCorrectionAwaited', code);
    checkCorrectionResult(code, canonicalResult(result) ?? result, context);
  } else if (action.disclosureResult || action.applicantType) {
    throw refuse('closeNotDisclosure', code);
  }
  // The applicant type set at closing must still fit the proof of identity on file (第二十九条).
  const idType = record.applicantIdType;
  if (action.applicantType && idType && !idTypeFitsApplicant(action.applicantType, idType)) {
    const expected = action.applicantType === '自然人' ? PERSON_ID_TYPES.join('/') : ORG_ID_TYPE;
    throw caseError('case_invalid', 'idTypeMismatch', { applicant: action.applicantType, expected });
  }
  const fields: CaseFields = { closedAt: at, closeNote: note, closeBasis: basis, handoff: false };
  if (basis === 'duplicate') fields.duplicateOf = action.duplicateOf!.trim().toUpperCase();
  if (record.type === 'disclosure') fields.disclosureResult = result;
  if (action.applicantType) fields.applicantType = action.applicantType;
  return fields;
}
