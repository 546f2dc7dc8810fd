import { AppError } from '../errors.js';
import type { CaseFields } from '../../storage/cases-repo.js';
import { RESULT_PETITION_IN_DISGUISE, isNotProcessedResult } from './disclosure.js';
import type { CaseAction, CaseRecord, CloseBasis } from './types.js';

type CloseAction = Extract<CaseAction, { kind: 'close' }>;

const refuse = (message: string, details?: unknown) => new AppError('case_invalid', message, { details });

/**
 * What closing a case sets, or AppError('case_invalid') saying what is missing. A case is closed
 * only with an answer the parent got: a reply since it was (re)opened, or a closing message to
 * them (the note), or a reason they are told: duplicate of another case, 不予处理, or unreachable.
 * A 政府信息公开申请 also needs its table 三 result; 不予处理 defaults to 第三十九条 (信访举报投诉类申请).
 */
export function closeFields(record: CaseRecord, action: CloseAction, at: string): CaseFields {
  const note = action.note.trim();
  const basis: CloseBasis = action.basis ?? (record.repliedAt ? 'answered' : record.state === 'unreachable' && !note ? 'unreachable' : 'message');
  const code = record.code;
  switch (basis) {
    case 'answered':
      if (!record.repliedAt)
        throw refuse(`诉求 ${code} 尚未答复家长，不能按“已答复”办结：请先答复，或填写给家长的办结答复后办结。`);
      break;
    case 'message':
      if (!note) throw refuse(`诉求 ${code} 尚未答复家长：办结时请填写给家长的办结答复（家长可见），例如 /case close ${code} 答复内容。`);
      break;
    case 'duplicate':
      if (!action.duplicateOf) throw refuse(`按重复件办结诉求 ${code} 时请写明重复的诉求编号。`);
      if (action.duplicateOf.trim().toUpperCase() === code) throw refuse(`诉求 ${code} 不能与自身重复。`);
      break;
    case 'not-processed':
      if (!note) throw refuse(`不予处理诉求 ${code} 时请写明理由（家长可见）。`);
      break;
    case 'unreachable':
      if (!record.unreachable && record.state !== 'unreachable')
        throw refuse(`诉求 ${code} 未登记“联系不上诉求人”：请先登记，或答复后办结。`);
      break;
  }
  let result = action.disclosureResult ?? record.disclosureResult ?? null;
  if (record.type === 'disclosure') {
    if (basis === 'not-processed' && !(result && isNotProcessedResult(result))) result = action.disclosureResult ?? RESULT_PETITION_IN_DISGUISE;
    if (!result)
      throw refuse(`诉求 ${code} 是政府信息公开申请：办结时请选择办理结果（年报表三，见 /case results）。`);
    if (basis === 'not-processed' && !isNotProcessedResult(result))
      throw refuse(`不予处理的政府信息公开申请 ${code} 的办理结果应为“（五）不予处理”中的一项。`);
  } else if (action.disclosureResult || action.applicantType) {
    throw refuse(`诉求 ${code} 不是政府信息公开申请：办理结果和申请人类型只用于政府信息公开申请。`);
  }
  const fields: CaseFields = { closedAt: at, closeNote: note, closeBasis: basis, handoff: false };
  if (basis === 'duplicate') fields.duplicateOf = action.duplicateOf!.trim().toUpperCase();
  if (record.type === 'disclosure') fields.disclosureResult = result;
  if (action.applicantType) fields.applicantType = action.applicantType;
  return fields;
}
