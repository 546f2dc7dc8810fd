import { caseError } from '../i18n/errors-text.js';
import type { CaseState } from '../types.js';
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

/** States in which the case still needs work from the bureau (deadline applies). */
export const OPEN_STATES: readonly CaseState[] = ['received', 'claimed', 'replied', 'extended', 'unreachable', 'reopened'];

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
