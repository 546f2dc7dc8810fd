import type { App, BlockButtonAction, types, webApi } from '@slack/bolt';
import { z } from 'zod';
import { botCanReach } from '../../core/cases/answer-way.js';
import type { CaseDeskImpl } from '../../core/cases/desk.js';
import { defaultRatingWay, ratingText, recordableStarValues, starsText } from '../../core/cases/ratings.js';
import { RATING_WAYS, type CaseRecord, type RatingWay, type RecordedRatingInput } from '../../core/cases/types.js';
import { dateInZone, daysBetween } from '../../core/calendar/dates.js';
import { caseError, errorText } from '../../core/i18n/errors-text.js';
import { t } from '../../core/i18n/index.js';
import type { Locale } from '../../core/types.js';
import { typedBack } from './typed-back.js';
export { parseRateText } from '../shared/rate-command.js';
import { actorOf, failureText, onCaseButton, tellUser, type Guards } from './guard.js';
import { modal, textInput } from './modals.js';
import { escapeMrkdwn, localDate } from './mrkdwn.js';
import type { SlackStaffDesk } from './staff-desk.js';
import { readValues, type Parsed } from './submissions.js';
import { HUNG, viewSteps } from './view-steps.js';
import { CASE_ACTIONS, VIEWS, type SlackDeskContext } from './types.js';

/**
 * 记录评价 and 重新办理 on the closed card of a case without a chat (phone, 民心网, letter, visit; review17 #15): the
 * citizen rates on 民心网 or on the 回访 call, or objects by phone within REOPEN_DAYS, and staff record it here. A
 * chat case is rated, and objected to, by the parent in the chat.
 */

type RatingDesk = Pick<CaseDeskImpl, 'recordRating' | 'ratingScales' | 'reopenDays'>;

function ratingDeskOf(ctx: Pick<SlackDeskContext, 'desk'>): RatingDesk | null {
  const desk = ctx.desk as Partial<RatingDesk>;
  return desk.recordRating && desk.ratingScales && desk.reopenDays !== undefined ? (desk as RatingDesk) : null;
}

/** The value the modal sends for 未评价 (不参与评星). */
const NOT_RATED = 'none';

/** Whether the closed card offers 记录评价: a closed case the bot cannot reach, on a desk that records ratings. */
export const canRecordRating = (ctx: Pick<SlackDeskContext, 'desk'>, record: CaseRecord) =>
  ratingDeskOf(ctx) !== null && record.state === 'closed' && !botCanReach(record);

/**
 * Whether the closed card offers 重新办理: a closed 信访/投诉/咨询 case without a chat, not erased, still within REOPEN_DAYS of
 * its closing (the desk checks the window again, counting from a low rating too).
 */
export function canReopen(ctx: Pick<SlackDeskContext, 'desk' | 'timeZone'>, record: CaseRecord, now: Date): boolean {
  const desk = ratingDeskOf(ctx);
  if (!desk || record.state !== 'closed' || botCanReach(record) || record.type === 'disclosure' || record.anonymisedAt || !record.closedAt) return false;
  return daysBetween(dateInZone(new Date(record.closedAt), ctx.timeZone), dateInZone(now, ctx.timeZone)) <= desk.reopenDays;
}

export function rateModal(record: CaseRecord, l: Locale, c: { closedOn: string; today: string; values: { value: number; minxinOnly: boolean }[]; stars: (n: number) => string }): types.ModalView {
  const option = (text: string, value: string) => ({ text: { type: 'plain_text' as const, text }, value });
  const starOptions = c.values.map((v) =>
    option(v.minxinOnly ? t(l, 'slack.modal.rate.minxinOnly', { n: v.value }) : t(l, 'slack.modal.rate.starsOption', { stars: c.stars(v.value), n: v.value }), String(v.value)));
  const way = defaultRatingWay(record.channel);
  const ways = RATING_WAYS.map((w) => option(w, w));
  return modal(l, VIEWS.rate, 'slack.modal.rate.title', [
    { type: 'section', text: { type: 'mrkdwn', text: t(l, 'slack.modal.rate.intro', { code: record.code, closed: c.closedOn }) } },
    {
      type: 'input', block_id: 'stars', label: { type: 'plain_text', text: t(l, 'slack.modal.rate.stars') },
      element: { type: 'static_select', action_id: 'value', options: [...starOptions, option(t(l, 'slack.modal.rate.none'), NOT_RATED)] },
    },
    {
      type: 'input', block_id: 'via', label: { type: 'plain_text', text: t(l, 'slack.modal.rate.via') },
      element: { type: 'static_select', action_id: 'value', options: ways, initial_option: option(way, way) },
    },
    {
      type: 'input', block_id: 'on', label: { type: 'plain_text', text: t(l, 'slack.modal.rate.on') },
      element: { type: 'datepicker', action_id: 'value', initial_date: c.today },
    },
  ], record.code);
}

export function reopenModal(record: CaseRecord, l: Locale, c: { closedOn: string; days: number }): types.ModalView {
  return modal(l, VIEWS.reopen, 'slack.modal.reopen.title', [
    { type: 'section', text: { type: 'mrkdwn', text: t(l, 'slack.modal.reopen.intro', { code: record.code, closed: c.closedOn, days: c.days }) } },
    textInput('reason', t(l, 'slack.modal.reopen.reason'), { multiline: true, max: 2000 }),
  ], record.code);
}

/** The rating modal as the desk's input: a value on the scale or 未评价, a way, a day neither to come nor before the closing. */
export function parseRate(l: Locale, values: Record<string, string | undefined>, c: { today: string; closedOn: string }): Parsed<RecordedRatingInput> {
  const errors: Record<string, string> = {};
  const stars = values.stars;
  const value = stars === NOT_RATED ? null : /^\d{1,2}$/.test(stars ?? '') ? Number(stars) : undefined;
  if (value === undefined) errors.stars = t(l, 'slack.err.required');
  const via = RATING_WAYS.find((w) => w === values.via);
  if (!via) errors.via = t(l, 'slack.err.required');
  const on = values.on ?? '';
  if (!z.iso.date().safeParse(on).success || on > c.today || on < c.closedOn)
    errors.on = errorText(l, caseError('case_invalid', 'ratingDate', { value: on || '-', today: c.today, closedOn: c.closedOn }));
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { value: value!, via: via!, on } };
}

/** Records a rating for a Slack user (modal and text command) and returns what they are told. */
export async function recordRatingFor(ctx: SlackDeskContext, code: string, input: { value: number | null; via?: RatingWay; on?: string }, userId: string): Promise<string> {
  const desk = ratingDeskOf(ctx);
  const record = await ctx.desk.get(code);
  if (!desk || !record) throw caseError('case_not_found', 'notFound', { code });
  const via = input.via ?? defaultRatingWay(record.channel);
  const updated = await desk.recordRating(record.code, { value: input.value, via, ...(input.on ? { on: input.on } : {}) }, actorOf(userId));
  const rating = (await ctx.desk.history(updated.code)).filter((e) => e.kind === 'rated').at(-1);
  const text = rating ? ratingText(rating.note, desk.ratingScales) : '-';
  return t(ctx.locale, 'slack.msg.ratingRecorded', { code: updated.code, text: escapeMrkdwn(text), via, on: input.on ?? localDate(ctx.now(), ctx.timeZone) });
}

async function openRateModal(ctx: SlackDeskContext, client: webApi.WebClient, triggerId: string, record: CaseRecord): Promise<void> {
  const desk = ratingDeskOf(ctx);
  if (!desk || !canRecordRating(ctx, record)) {
    if (record.state !== 'closed') throw caseError('case_illegal_transition', 'rateBeforeClose', { code: record.code, state: record.state });
    throw caseError('case_illegal_transition', 'ratingIsCitizens', { code: record.code });
  }
  const scales = desk.ratingScales;
  await client.views.open({
    trigger_id: triggerId,
    view: rateModal(record, ctx.locale, {
      closedOn: localDate(new Date(record.closedAt!), ctx.timeZone), today: localDate(ctx.now(), ctx.timeZone),
      values: recordableStarValues(scales), stars: (n) => starsText(Math.min(n, Math.max(...scales.stars.levels.map((x) => x.value))), scales),
    }),
  });
}

/** The two buttons and their modals' submissions. Same guards as the other case buttons (actions.ts). */
export function registerRatingEntry(app: App, ctx: SlackDeskContext, guards: Guards, staffDesk: SlackStaffDesk): void {
  const l = ctx.locale;
  const buttons: Record<string, (record: CaseRecord, body: BlockButtonAction, client: webApi.WebClient, say: (text: string) => Promise<void>) => Promise<void>> = {
    [CASE_ACTIONS.rate]: (record, body, client) => openRateModal(ctx, client, body.trigger_id, record),
    [CASE_ACTIONS.reopen]: async (record, body, client, say) => {
      const desk = ratingDeskOf(ctx);
      if (!desk) throw caseError('case_illegal_transition', 'illegal', { code: record.code, state: record.state, action: 'reopen', allowed: [] });
      if (record.state !== 'closed') return void (await say(t(l, 'slack.msg.notClosed', { code: record.code })));
      await client.views.open({ trigger_id: body.trigger_id, view: reopenModal(record, l, { closedOn: localDate(new Date(record.closedAt!), ctx.timeZone), days: desk.reopenDays }) });
    },
  };
  for (const [actionId, open] of Object.entries(buttons))
    onCaseButton(app, ctx, guards, actionId, async (record, { body, client }, say) => {
      try {
        await open(record, body, client, say);
      } catch (error) {
        await say(failureText(ctx, record.code, error));
      }
    });

  const { admit, beforeAck, underCaseLock } = viewSteps(app, ctx, guards);
  app.view(VIEWS.rate, async ({ ack, body, view, client }) => {
    const code = view.private_metadata;
    // The case is read before the ack (the rating day is checked against its closing): within the ack's bound.
    const record = await beforeAck(ack, body, view, ctx.desk.get(code));
    if (record === HUNG) return;
    const closedOn = record?.closedAt ? localDate(new Date(record.closedAt), ctx.timeZone) : '0000-00-00';
    const input = await admit(ack, body, parseRate(l, readValues(view.state), { today: localDate(ctx.now(), ctx.timeZone), closedOn }));
    if (!input) return;
    await underCaseLock(body, code, async () => {
      try {
        const text = await recordRatingFor(ctx, code, input, body.user.id);
        staffDesk.kick();
        await tellUser(client, ctx, body.user.id, text);
      } catch (error) {
        await tellUser(client, ctx, body.user.id, failureText(ctx, code, error) + typedBack(ctx.locale, view));
      }
    });
  });

  app.view(VIEWS.reopen, async ({ ack, body, view, client }) => {
    const code = view.private_metadata;
    const reason = readValues(view.state).reason ?? '';
    const parsed: Parsed<string> = !reason
      ? { ok: false, errors: { reason: t(l, 'slack.err.required') } }
      : reason.length > 2000
        ? { ok: false, errors: { reason: t(l, 'slack.err.tooLong', { max: 2000 }) } }
        : { ok: true, value: reason };
    const note = await admit(ack, body, parsed);
    if (note === null) return;
    await underCaseLock(body, code, async () => {
      try {
        const { case: reopened } = await ctx.desk.act(code, { kind: 'reopen', note }, actorOf(body.user.id));
        staffDesk.kick();
        await tellUser(client, ctx, body.user.id, t(l, 'slack.msg.reopened', { code: reopened.code, deadline: reopened.deadlineOn ?? t(l, 'slack.field.none') }));
      } catch (error) {
        await tellUser(client, ctx, body.user.id, failureText(ctx, code, error) + typedBack(ctx.locale, view));
      }
    });
  });
}
