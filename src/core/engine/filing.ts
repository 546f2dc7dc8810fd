import { CASE_TYPES, type CaseType, type Reply } from '../types.js';
import { formatDeadline } from '../cases/messages.js';
import type { CaseRecord } from '../cases/types.js';
import { MAX_CASE_TEXT } from '../cases/validate.js';
import { button, say, tr, type TurnContext } from './context.js';
import { findPhone, normalisePhone } from './phone.js';
import type { FilingState } from './state.js';

/** The five types a parent can pick (信访 is logged by staff, not offered in chat). */
const OFFERED_TYPES: CaseType[] = ['inquiry', 'complaint', 'suggestion', 'help', 'disclosure'];
const MIN_CONTENT = 5;
const SKIP_WORDS = /^(跳过|不留|不用|不需要|没有|无|不方便|skip|no|none|no phone)[。.!！]*$/iu;
const CONFIRM_WORDS = /^(确认|确定|提交|确认提交|是|是的|对|好|好的|可以|没问题|yes|y|ok|okay|submit|confirm)[。.!！]*$/iu;

/**
 * Starts (or restarts) the filing flow, skipping the steps already known:
 * a petition message pre-fills type and content, an unanswered question its text.
 */
export function startFiling(ctx: TurnContext, prefill: { type?: CaseType; content?: string; sourceMessageId?: number | null } = {}): Reply[] {
  const filing: FilingState = {
    step: 'type',
    key: `${ctx.incoming.channel}:${ctx.incoming.chatId}:${ctx.at.getTime()}`,
    ...(prefill.type ? { type: prefill.type } : {}),
    ...(prefill.content && prefill.content.trim().length <= MAX_CASE_TEXT ? { content: prefill.content.trim() } : {}),
    sourceMessageId: prefill.sourceMessageId ?? null,
  };
  // A phone written into the petition itself is the contact: do not ask for it again (it stays editable at confirm by cancelling).
  const phone = prefill.content ? findPhone(prefill.content) : null;
  if (phone) filing.contact = phone;
  ctx.state.filing = filing;
  return advance(ctx, filing);
}

function advance(ctx: TurnContext, filing: FilingState): Reply[] {
  const cancel = [button(ctx, 'button.cancel', { kind: 'cancel' })];
  if (!filing.type) {
    filing.step = 'type';
    const rows = OFFERED_TYPES.map((type) => [button(ctx, `type.${type}`, { kind: 'case-type', type })]);
    return [say(ctx, 'file.askType', {}, [...rows, cancel])];
  }
  if (!filing.content) {
    filing.step = 'content';
    return [say(ctx, 'file.askContent', { type: tr(ctx, `type.${filing.type}`) }, [cancel])];
  }
  if (filing.contact === undefined) {
    filing.step = 'contact';
    return [say(ctx, 'file.askContact', {}, [[button(ctx, 'button.skip', { kind: 'skip' })], cancel])];
  }
  filing.step = 'confirm';
  return [confirmPrompt(ctx, filing)];
}

function confirmPrompt(ctx: TurnContext, filing: FilingState): Reply {
  return say(
    ctx,
    'file.confirm',
    { type: tr(ctx, `type.${filing.type ?? 'inquiry'}`), content: filing.content ?? '', contact: filing.contact ?? tr(ctx, 'file.noContact') },
    [[button(ctx, 'button.confirm', { kind: 'confirm' })], [button(ctx, 'button.cancel', { kind: 'cancel' })]],
  );
}

function typeFromText(ctx: TurnContext, text: string): CaseType | undefined {
  const clean = text.trim().toLowerCase();
  const byNumber = /^[1-5]$/.test(clean) ? OFFERED_TYPES[Number(clean) - 1] : undefined;
  return byNumber ?? CASE_TYPES.find((type) => clean.includes(tr(ctx, `type.${type}`).toLowerCase()));
}

/** A typed message while the flow is open. */
export async function continueFiling(ctx: TurnContext, filing: FilingState, text: string): Promise<Reply[]> {
  switch (filing.step) {
    case 'type': {
      const type = typeFromText(ctx, text);
      if (type) filing.type = type;
      return advance(ctx, filing);
    }
    case 'content': {
      if ([...text.trim()].length < MIN_CONTENT) return [say(ctx, 'file.contentTooShort', { min: MIN_CONTENT })];
      if (text.trim().length > MAX_CASE_TEXT) return [say(ctx, 'file.contentTooLong', { max: MAX_CASE_TEXT })];
      filing.content = text.trim();
      return advance(ctx, filing);
    }
    case 'contact': {
      if (SKIP_WORDS.test(text.trim())) {
        filing.contact = null;
        return advance(ctx, filing);
      }
      const phone = normalisePhone(text);
      if (!phone) return [say(ctx, 'file.badContact', { value: text.trim().slice(0, 40) }, [[button(ctx, 'button.skip', { kind: 'skip' })]])];
      filing.contact = phone;
      return advance(ctx, filing);
    }
    case 'confirm':
      if (CONFIRM_WORDS.test(text.trim())) return submitFiling(ctx, filing);
      return [say(ctx, 'file.pressConfirm'), confirmPrompt(ctx, filing)];
  }
}

export function pickType(ctx: TurnContext, filing: FilingState, type: CaseType): Reply[] {
  filing.type = type;
  return advance(ctx, filing);
}

export function skipContact(ctx: TurnContext, filing: FilingState): Reply[] {
  if (filing.step !== 'contact') return advance(ctx, filing);
  filing.contact = null;
  return advance(ctx, filing);
}

/** Commits the case; only after `file` resolved does the parent see the code. */
export async function submitFiling(ctx: TurnContext, filing: FilingState): Promise<Reply[]> {
  if (filing.step !== 'confirm' || !filing.type || !filing.content) return advance(ctx, filing);
  let record: CaseRecord;
  try {
    record = await ctx.deps.cases.file({
      type: filing.type,
      channel: ctx.incoming.channel,
      text: filing.content,
      contact: filing.contact ?? null,
      chatId: ctx.incoming.chatId,
      citizenRef: ctx.incoming.userId,
      locale: ctx.locale,
      sourceMessageId: filing.sourceMessageId ?? null,
      idempotencyKey: filing.key,
      // The reply of this turn shows the code and deadline; no second copy through the outbox.
      notifyCitizen: false,
      receivedAt: ctx.at,
      actor: 'citizen',
    });
  } catch (error) {
    ctx.deps.logger.error({ err: error, chatId: ctx.incoming.chatId }, 'filing a case failed');
    return [say(ctx, 'file.failed', {}, [[button(ctx, 'button.confirm', { kind: 'confirm' })], [button(ctx, 'button.cancel', { kind: 'cancel' })]])];
  }
  delete ctx.state.filing;
  if (filing.sourceMessageId) await ctx.deps.store.linkMessageCase(filing.sourceMessageId, record.id).catch(() => undefined);
  return [{ ...say(ctx, 'file.filed', { code: record.code, type: tr(ctx, `type.${record.type}`), deadline: deadlineText(ctx, record) }), caseCode: record.code }];
}

export function deadlineText(ctx: TurnContext, record: CaseRecord): string {
  if (!record.deadlineOn) return tr(ctx, 'file.deadlineOnClaim');
  return tr(ctx, record.deadlineEstimated ? 'file.deadlineEstimated' : 'file.deadline', { date: formatDeadline(ctx.locale, record.deadlineOn) });
}
