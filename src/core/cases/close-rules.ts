import { caseError } from '../i18n/errors-text.js';
import type { CaseFields } from '../../storage/cases-repo.js';
import { RESULT_PETITION_IN_DISGUISE, isNotProcessedResult } from './disclosure.js';
import { ORG_ID_TYPE, PERSON_ID_TYPES, idTypeFitsApplicant } from './identity.js';
import { botCanReach } from './answer-way.js';
import { ANSWER_WAYS, type CaseAction, type CaseRecord, type CloseBasis } from './types.js';

type CloseAction = Extract<CaseAction, { kind: 'close' }>;

const refuse = (key: string, code: string) => caseError('case_invalid', key, { code });

/**
 * What closing a case sets, or AppError('case_invalid') saying what is missing. A case is closed
 * only with an answer the parent got: a reply since it was (re)opened, or a closing message to
 * them (the note), or a reason they are told: duplicate of another case, 不予处理, or unreachable.
 * A 政府信息公开申请 also needs its table 三 result; 不予处理 defaults to 第三十九条 (信访举报投诉类申请).
 */
export function closeFields(record: CaseRecord, action: CloseAction, at: string): CaseFields {
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
      break;
    case 'not-processed':
      if (!note) throw refuse('closeNeedsReason', code);
      break;
    case 'unreachable':
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
