import type { App, types, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { CaseDeskImpl } from '../../core/cases/desk.js';
import {
  APPEAL_CATEGORIES,
  APPEAL_OUTCOMES,
  APPEAL_UNDECIDED,
  appealRecordedText,
  appealText,
  currentAppeals,
  type AppealEntry,
  type AppealInput,
} from '../../core/cases/appeals.js';
import type { CaseRecord } from '../../core/cases/types.js';
import { caseError, errorText } from '../../core/i18n/errors-text.js';
import { t } from '../../core/i18n/index.js';
import type { Locale } from '../../core/types.js';
import { typedBack } from './typed-back.js';
import { actorOf, failureText, tellUser, type Guards } from './guard.js';
import { escapeMrkdwn, localDate, truncate } from './mrkdwn.js';
import type { SlackStaffDesk } from './staff-desk.js';
import { readValues, type Parsed } from './submissions.js';
import { HUNG, viewSteps } from './view-steps.js';
import { VIEWS, type SlackDeskContext } from './types.js';

/**
 * 行政复议 / 行政诉讼 against a disclosure answer, in Slack: the modal (card button 记录行政复议/诉讼, `/case appeal CODE`)
 * and its submission, and the one path the text command shares (recordAppealFor). The desk checks and records
 * (appeals.ts planAppeal); this file only shows and reads the fields.
 */

type AppealDesk = Pick<CaseDeskImpl, 'recordAppeal' | 'appeals'>;

function appealDeskOf(ctx: Pick<SlackDeskContext, 'desk'>): AppealDesk | null {
  const desk = ctx.desk as Partial<AppealDesk>;
  return desk.recordAppeal && desk.appeals ? (desk as AppealDesk) : null;
}

/** Records an entry for a Slack user and returns what they are told (text command and modal). */
export async function recordAppealFor(ctx: SlackDeskContext, code: string, input: AppealInput, userId: string): Promise<string> {
  const desk = appealDeskOf(ctx);
  if (!desk) return t(ctx.locale, 'slack.msg.usage.appeal');
  return escapeMrkdwn(appealRecordedText(await desk.recordAppeal(code, input, actorOf(userId)), ctx.locale));
}

const option = (text: string, value: string) => ({ text: { type: 'plain_text' as const, text: truncate(text, 75) }, value });
const input = (blockId: string, label: string, element: types.InputBlock['element'], optional: boolean): types.InputBlock => ({
  type: 'input', block_id: blockId, optional, label: { type: 'plain_text', text: label }, element,
});

/**
 * The modal: which appeal (a new one, or one already recorded whose result or correction this is), its kind,
 * 收到日期, and optionally 结果, 审结日期, 案号, note. The existing appeals are listed with their lines.
 */
export function appealModal(record: CaseRecord, l: Locale, appeals: readonly AppealEntry[]): types.ModalView {
  const current = currentAppeals(appeals);
  const categories = APPEAL_CATEGORIES.map((c) => option(t(l, `slack.modal.appeal.category.${c}`), c));
  const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: t(l, 'slack.modal.appeal.intro', { code: record.code }) } }];
  if (current.length > 0) {
    const lines = current.map((c) => `#${c.appealId} ${escapeMrkdwn(appealText(c.entry, l))}`).join('\n');
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(t(l, 'slack.modal.appeal.existing', { lines }), 2900) }] });
    blocks.push(input('appeal', t(l, 'slack.modal.appeal.which'), {
      type: 'static_select', action_id: 'value',
      options: current.slice(-100).map((c) => option(`#${c.appealId} ${appealText(c.entry, l)}`, String(c.appealId))),
    }, true));
  }
  blocks.push(
    input('category', t(l, 'slack.modal.appeal.category'), { type: 'static_select', action_id: 'value', options: categories }, current.length > 0),
    input('filed', t(l, 'slack.modal.appeal.filed'), { type: 'datepicker', action_id: 'value' }, current.length > 0),
    input('outcome', t(l, 'slack.modal.appeal.outcome'), {
      type: 'static_select', action_id: 'value', options: APPEAL_OUTCOMES.map((o) => option(t(l, `slack.modal.appeal.outcome.${o}`), o)),
    }, true),
    input('decided', t(l, 'slack.modal.appeal.decided'), { type: 'datepicker', action_id: 'value' }, true),
    input('ref', t(l, 'slack.modal.appeal.ref'), { type: 'plain_text_input', action_id: 'value', max_length: 60 }, true),
    input('note', t(l, 'slack.modal.appeal.note'), { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 }, true),
  );
  return {
    type: 'modal', callback_id: VIEWS.appeal, private_metadata: record.code,
    title: { type: 'plain_text', text: truncate(t(l, 'slack.modal.appeal.title'), 24) },
    submit: { type: 'plain_text', text: t(l, 'slack.modal.submit') },
    close: { type: 'plain_text', text: t(l, 'slack.modal.cancel') },
    blocks,
  };
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const fields = z.object({
  appeal: z.string().regex(/^\d+$/).optional(),
  category: z.enum(APPEAL_CATEGORIES).optional(),
  filed: isoDate.optional(),
  outcome: z.enum(APPEAL_OUTCOMES).optional(),
  decided: isoDate.optional(),
  ref: z.string().max(60).optional(),
  note: z.string().max(2000).optional(),
});

/**
 * The submitted modal as the desk's AppealInput, with each problem under its field (Chinese or English): a new
 * appeal needs its kind and 收到日期; a result other than 尚未审结 needs its 审结日期, not before 收到 and not still to
 * come. What needs the stored entries (nothing changed, which appeal) the desk checks after the modal closes.
 */
export function parseAppealModal(l: Locale, values: Record<string, string | undefined>, today: string, appeals: readonly AppealEntry[]): Parsed<AppealInput> {
  const errors: Record<string, string> = {};
  const parsed = fields.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]);
      errors[field] = field === 'ref' || field === 'note' ? t(l, 'slack.err.tooLong', { max: field === 'ref' ? 60 : 2000 }) : t(l, 'slack.err.required');
    }
    return { ok: false, errors };
  }
  const v = parsed.data;
  const say = (key: string, params: Record<string, string | number>) => errorText(l, caseError('case_invalid', key, params));
  const chosen = v.appeal ? currentAppeals(appeals).find((c) => String(c.appealId) === v.appeal) : undefined;
  if (v.appeal && !chosen) errors.appeal = t(l, 'slack.err.required');
  if (!chosen && !v.category) errors.category = t(l, 'slack.err.required');
  if (!chosen && !v.filed) errors.filed = t(l, 'slack.err.appealFiledNew');
  const filed = v.filed ?? chosen?.entry.filedOn;
  if (v.outcome && v.outcome !== APPEAL_UNDECIDED && !v.decided) errors.decided = say('appealNeedsDecided', { outcome: v.outcome });
  if (v.decided && (!v.outcome || v.outcome === APPEAL_UNDECIDED) && (!chosen || chosen.entry.outcome === APPEAL_UNDECIDED))
    errors.outcome = say('appealDecidedNeedsOutcome', { decided: v.decided });
  for (const [block, field, value] of [['filed', 'appealFiled', v.filed], ['decided', 'appealDecided', v.decided]] as const)
    if (value && value > today) errors[block] = say('reviewDateFuture', { field, value, today });
  if (!errors.decided && v.decided && filed && v.decided < filed) errors.decided = say('appealDateOrder', { filed, decided: v.decided });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      category: (v.category ?? chosen!.entry.category) as AppealInput['category'],
      ...(chosen ? { appealId: chosen.appealId } : {}),
      ...(v.filed ? { filedOn: v.filed } : {}),
      ...(v.outcome ? { outcome: v.outcome } : {}),
      ...(v.decided ? { decidedOn: v.decided } : {}),
      ...(v.ref ? { caseRef: v.ref } : {}),
      ...(v.note ? { note: v.note } : {}),
    },
  };
}

/** Opens the modal of `code` (card button, `/case appeal CODE`): closed disclosure requests only; throws the refusal otherwise. */
export async function openAppealModal(ctx: SlackDeskContext, client: webApi.WebClient, triggerId: string, code: string): Promise<void> {
  const desk = appealDeskOf(ctx);
  const record = await ctx.desk.get(code);
  if (!record) throw caseError('case_not_found', 'notFound', { code });
  if (!desk || record.type !== 'disclosure') throw caseError('case_invalid', 'appealNotDisclosure', { code: record.code, type: record.type });
  if (record.state !== 'closed') throw caseError('case_illegal_transition', 'appealNotAnswered', { code: record.code, state: record.state });
  await client.views.open({ trigger_id: triggerId, view: appealModal(record, ctx.locale, await desk.appeals(record.code)) });
}

/** Whether the card offers 记录行政复议/诉讼: a closed disclosure request, on a desk that records appeals. */
export const canRecordAppeal = (ctx: Pick<SlackDeskContext, 'desk'>, record: Pick<CaseRecord, 'type' | 'state'>) =>
  appealDeskOf(ctx) !== null && record.type === 'disclosure' && record.state === 'closed';

/**
 * The modal's submission: errors go back in the ack (under each field); otherwise ack, check staff, record once per
 * view (a replayed submission — same view id — records nothing), tell the user; the staff desk posts the card update
 * and the thread line from the desk's notice. Each step is bounded (view-steps.ts): the read before the ack within
 * the ack's bound, the rest within the work bound, the case's lock released when it passes.
 */
export function registerAppealView(app: App, ctx: SlackDeskContext, guards: Guards, staffDesk: SlackStaffDesk): void {
  const { admit, beforeAck, underCaseLock } = viewSteps(app, ctx, guards);
  app.view(VIEWS.appeal, async ({ ack, body, view, client }) => {
    const code = view.private_metadata;
    const desk = appealDeskOf(ctx);
    // The recorded appeals are read before the ack (the form's checks name them): within the ack's bound.
    const appeals = desk ? await beforeAck(ack, body, view, desk.appeals(code).catch(() => [])) : [];
    if (appeals === HUNG) return;
    const input = await admit(ack, body, parseAppealModal(ctx.locale, readValues(view.state), localDate(ctx.now(), ctx.timeZone), appeals));
    if (!input) return;
    await underCaseLock(body, code, async () => {
      try {
        const text = await recordAppealFor(ctx, code, input, body.user.id);
        staffDesk.kick();
        await tellUser(client, ctx, body.user.id, text);
      } catch (error) {
        await tellUser(client, ctx, body.user.id, failureText(ctx, code, error) + typedBack(ctx.locale, view));
      }
    });
  });
}
