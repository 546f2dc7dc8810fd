import { maskPersonalData, maskPhones } from '../privacy/mask.js';
import type { Button, CaseType, Reply } from '../types.js';
import { button, say, tr, type TurnContext } from './context.js';
import { choiceButtons, disclosurePrompt, disclosureSummary } from './disclosure-intake.js';
import type { ContentProblem } from './filing-checks.js';
import { tk } from './intake-text.js';
import type { FilingState } from './state.js';

/** What the filing flow shows at each step: every prompt carries 取消; the confirm step offers 修改. */

/** The five types a parent can pick (信访 is logged by staff, not offered in chat). */
export const OFFERED_TYPES: CaseType[] = ['inquiry', 'complaint', 'suggestion', 'help', 'disclosure'];

/** The id a filing's confirm and cancel buttons carry: the random tail of its idempotency key. */
export function filingRef(filing: Pick<FilingState, 'key'>): string {
  return filing.key.slice(filing.key.lastIndexOf(':') + 1).replace(/[^A-Za-z0-9-]/g, '').slice(-40) || 'filing';
}

/** 取消 of the filing in progress: an old one from an earlier filing is a stale button, not this filing's cancel. */
export function cancelRow(ctx: TurnContext): Button[] {
  const filing = ctx.state.filing;
  return [button(ctx, 'button.cancel', filing ? { kind: 'cancel', of: 'file', ref: filingRef(filing) } : { kind: 'cancel', of: 'file' })];
}

export function confirmButton(ctx: TurnContext, filing: FilingState): Button {
  return button(ctx, 'button.confirm', { kind: 'confirm', of: 'file', ref: filingRef(filing) });
}

/** The prompt of the current step, always with 取消. */
export function prompt(ctx: TurnContext, filing: FilingState): Reply {
  const cancel = cancelRow(ctx);
  const step = filing.step;
  const disclosure = filing.type === 'disclosure';
  switch (step) {
    case 'type': {
      const rows = OFFERED_TYPES.map((type) => [button(ctx, `type.${type}`, { kind: 'case-type', type })]);
      return say(ctx, 'file.askType', {}, [...rows, cancel]);
    }
    case 'content':
      return disclosure
        ? { text: tk(ctx, 'ask.content'), buttons: [cancel] }
        : say(ctx, 'file.askContent', { type: tr(ctx, `type.${filing.type ?? 'inquiry'}`) }, [cancel]);
    case 'contact': {
      const skip = disclosure ? [] : [[button(ctx, 'button.skip', { kind: 'skip' })]];
      if (filing.foundPhone) {
        const use = [{ label: tk(ctx, 'phone.use'), payload: { kind: 'choose' as const, value: 'phone:use' } }];
        // Masked even for the parent (docs/PRIVACY.md): the last four digits are enough to recognise it.
        return { text: tk(ctx, 'phone.found', { phone: maskPhones(filing.foundPhone) }), buttons: [use, ...skip, cancel] };
      }
      return disclosure ? { text: tk(ctx, 'ask.contact'), buttons: [cancel] } : say(ctx, 'file.askContact', {}, [...skip, cancel]);
    }
    case 'confirm':
      return confirmPrompt(ctx, filing);
    case 'edit':
      return { text: tk(ctx, 'edit.ask'), buttons: [...editChoices(ctx, filing), cancel] };
    default:
      return { text: disclosurePrompt(ctx, filing, step), buttons: [...choiceButtons(ctx, filing, step), cancel] };
  }
}

export function confirmPrompt(ctx: TurnContext, filing: FilingState): Reply {
  const rows = [
    [confirmButton(ctx, filing)],
    [{ label: tk(ctx, 'edit.button'), payload: { kind: 'choose' as const, value: 'edit' } }],
    cancelRow(ctx),
  ];
  if (filing.type === 'disclosure') return { text: disclosureSummary(ctx, filing), buttons: rows };
  // The phone and ID numbers masked, as in every other copy of the chat (the case stores them whole for staff).
  const params = {
    type: tr(ctx, `type.${filing.type ?? 'inquiry'}`),
    content: maskPersonalData(filing.content ?? ''),
    contact: filing.contact ? maskPhones(filing.contact) : tr(ctx, 'file.noContact'),
  };
  return say(ctx, 'file.confirm', params, rows);
}

export const EDITABLE: Record<string, (keyof FilingState)[]> = {
  type: ['type'],
  content: ['content', 'foundPhone', 'added'],
  contact: ['contact', 'foundPhone'],
  applicant: ['applicantType', 'organisation', 'applicantName', 'applicantIdType', 'applicantIdNumber'],
  identity: ['applicantIdType', 'applicantIdNumber'],
  delivery: ['deliveryForm', 'deliveryMethod', 'deliveryAddress'],
};

export function editChoices(ctx: TurnContext, filing: FilingState): Button[][] {
  const fields = filing.type === 'disclosure' ? ['applicant', 'identity', 'content', 'contact', 'delivery'] : ['type', 'content', 'contact'];
  // A 政府信息公开申请's contact may be an e-mail or postal address (第二十九条 联系方式): not labelled a phone.
  const label = (field: string) => tk(ctx, field === 'contact' && filing.type === 'disclosure' ? 'edit.contactAny' : `edit.${field}`);
  return fields.map((field) => [{ label: label(field), payload: { kind: 'choose', value: `edit:${field}` } }]);
}

export function contentRefusal(ctx: TurnContext, problem: ContentProblem): Reply {
  const cancel = [cancelRow(ctx)];
  switch (problem.problem) {
    case 'tooShort':
      return say(ctx, 'file.contentTooShort', { min: problem.min }, cancel);
    case 'tooLong':
      return { text: tk(ctx, 'content.tooLong', { length: problem.length, max: problem.max }), buttons: cancel };
    case 'noWords':
      return { text: tk(ctx, 'content.noWords'), buttons: cancel };
  }
}

