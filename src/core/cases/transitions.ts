import { caseError } from '../i18n/errors-text.js';
import { CASE_STATES, type CaseState } from '../types.js';
import type { CaseAction, CaseRecord } from './types.js';

export type CaseActionKind = CaseAction['kind'];

/**
 * The case lifecycle as data: for each action, the states it may start from and the state it leads to.
 *   received → claimed (签收) → replied → closed; side states returned (退单), extended (延期, once),
 *   unreachable (联系不上诉求人), withdrawn (撤回); closed → reopened within REOPEN_DAYS.
 * `returned` and `withdrawn` are final. A second reply from `replied` is allowed (a follow-up answer).
 */
export const TRANSITIONS = {
  claim: { from: ['received', 'reopened'], to: 'claimed' },
  reply: { from: ['claimed', 'extended', 'replied', 'reopened', 'unreachable'], to: 'replied' },
  extend: { from: ['claimed', 'reopened'], to: 'extended' },
  close: { from: ['claimed', 'extended', 'replied', 'reopened', 'unreachable'], to: 'closed' },
  return: { from: ['received', 'claimed', 'reopened'], to: 'returned' },
  unreachable: { from: ['received', 'claimed', 'extended', 'replied', 'reopened'], to: 'unreachable' },
  withdraw: { from: ['received', 'claimed', 'extended', 'replied', 'reopened', 'unreachable'], to: 'withdrawn' },
  reopen: { from: ['closed'], to: 'reopened' },
} as const satisfies Record<CaseActionKind, { from: readonly CaseState[]; to: CaseState }>;

/**
 * Which cases count as "open", for each use, in this one place (before, the status reply, the withdraw offer, the
 * erase of a parent's data and the engine each wrote their own list, and the status list alone held 退单 cases).
 */

/** States in which the case still needs work from the bureau (deadline applies): every state that is not final. */
export const OPEN_STATES: readonly CaseState[] = ['received', 'claimed', 'replied', 'extended', 'unreachable', 'reopened'];

/**
 * The states a case ends in: 办结 (closed), 撤回 (withdrawn), 退单 (returned). Only a case in one of them may have its
 * personal data erased — by the retention purge or a parent's erase request (storage/retention-repo.ts); a case in
 * OPEN_STATES never (the bureau still owes its answer within the legal limit, and the digest and reports count it).
 */
export const FINAL_STATES: readonly CaseState[] = CASE_STATES.filter((s) => !OPEN_STATES.includes(s));

/** The states a parent (or staff for them) may withdraw a case from: the withdraw offer lists exactly these. */
export const WITHDRAWABLE_STATES: readonly CaseState[] = TRANSITIONS.withdraw.from;

/**
 * What a parent asking for their status (我的进度) is shown: every case not finished by 办结 or by their own 撤回 —
 * the open ones and the returned ones. A 退单 case was not handled here; the parent must still learn that from the
 * status, with its state (已退回), as long as it is kept. A withdrawn one was ended by the parent and confirmed to
 * them in the same turn.
 */
export const STATUS_STATES: readonly CaseState[] = [...OPEN_STATES, 'returned'];

export function allowedActions(state: CaseState): CaseActionKind[] {
  return (Object.keys(TRANSITIONS) as CaseActionKind[]).filter((kind) =>
    (TRANSITIONS[kind].from as readonly CaseState[]).includes(state),
  );
}

/** The state `action` leads to, or AppError('case_illegal_transition') naming the case, state and action. */
export function nextState(record: Pick<CaseRecord, 'code' | 'state'>, action: CaseActionKind): CaseState {
  const rule = TRANSITIONS[action];
  if ((rule.from as readonly CaseState[]).includes(record.state)) return rule.to;
  const allowed = allowedActions(record.state);
  throw caseError(
    'case_illegal_transition',
    allowed.length > 0 ? 'illegal' : 'illegalFinal',
    { code: record.code, state: record.state, action, allowed },
    { code: record.code, state: record.state, action },
  );
}
