import { z } from 'zod';
import { CASE_TYPES } from '../types.js';
import { buttonPayloadSchema } from '../button-payload.js';

/**
 * Per-chat conversation state, stored as JSON in `conversations.state_json`.
 * `v` is the format version: a row in an unknown format starts fresh rather
 * than crashing the chat.
 */
export const FILING_STEPS = [
  'type', 'content', 'contact', 'confirm',
  // 政府信息公开申请 (第二十九条): applicant, their name, form and way of delivery, address or e-mail.
  'applicant', 'orgType', 'name', 'form', 'delivery', 'address', 'email',
  // 第二十九条 身份证明: a person's document type, then its number (an organisation's 统一社会信用代码).
  'idType', 'idNumber',
  // Choosing which field to change at the confirm step.
  'edit',
] as const;
export type FilingStep = (typeof FILING_STEPS)[number];

export const filingSchema = z.object({
  step: z.enum(FILING_STEPS),
  type: z.enum(CASE_TYPES).optional(),
  content: z.string().optional(),
  contact: z.string().nullable().optional(),
  /** A phone number written in the content: offered as the contact, used once the parent confirms it. */
  foundPhone: z.string().optional(),
  /**
   * The parent's own phone written in the content (normalised; null: none, or only a forwarded notice's): the content is
   * stored masked (state-privacy.ts), and this number becomes the case's contact when the parent gives none.
   */
  textPhone: z.string().nullable().optional(),
  /** The same for the second petition held in `next`. */
  nextPhone: z.string().nullable().optional(),
  applicantType: z.string().optional(),
  /** 法人或其他组织 chosen, its column type not yet. */
  organisation: z.boolean().optional(),
  applicantName: z.string().optional(),
  /** 身份证明: document type (identity.ts ID_TYPES) and the checked, normalised number. */
  applicantIdType: z.string().optional(),
  applicantIdNumber: z.string().optional(),
  deliveryForm: z.string().optional(),
  deliveryMethod: z.string().optional(),
  deliveryAddress: z.string().optional(),
  sourceMessageId: z.number().int().nullable().optional(),
  /**
   * The chat messages whose words are in `content` (the platform's message ids, the message as sent, the words taken):
   * an edit of one before the case is submitted replaces its words (edited.ts).
   */
  contentParts: z.array(z.object({ id: z.string(), message: z.string(), taken: z.string() })).optional(),
  /** A second petition the parent wrote while this one was not yet submitted: filed next, never merged or dropped. */
  next: z.string().optional(),
  /**
   * The last message added to the content at the phone or confirm step (a petition told in several messages): the
   * parent may still move it out as a petition of its own ("另一条诉求").
   */
  added: z.string().optional(),
  /** The last message held as the second petition: the parent may still add it to this one ("补充到这条诉求"). */
  heldLast: z.string().optional(),
  /**
   * When the description was last refused as too long (ms since epoch): the message right after it is the rest of the
   * same text, split by the client, and refused with it (see SPLIT_PART_WINDOW_MS).
   */
  refusedLongAt: z.number().optional(),
  /** Photos, files or recordings the parent sent while filing (the bot cannot read them): the case says so, for staff. */
  attachments: z.number().int().optional(),
  /** Idempotency key: a retried confirm (crash, double press) files one case. */
  key: z.string(),
});
export type FilingState = z.infer<typeof filingSchema>;

export const conversationStateSchema = z.object({
  v: z.literal(1),
  filing: filingSchema.optional(),
  /** Code of the open handoff case: messages go to staff instead of the bot. */
  handoff: z.string().optional(),
  /**
   * Waiting for the privacy erase confirmation; 'reminded' once a message that was neither yes nor no was answered
   * with "not deleted yet" and the buttons again (the next such message drops the offer).
   */
  erase: z.union([z.boolean(), z.literal('reminded')]).optional(),
  /** Code of the closed case the parent objects to: their next message is the reason (不满意，要求重新办理). */
  objection: z.string().optional(),
  /**
   * Code of the case the parent's objection reopened: while staff have not answered it, what the parent writes next
   * (details, not a new petition or a request to the bot) is added to it.
   */
  reopened: z.string().optional(),
  /** The id of the latest reopening (case event) this chat took up as `reopened`: one staff made is taken up once (staff-reopen.ts). */
  reopenSeen: z.number().int().optional(),
  /** Code of the case whose withdrawal was just offered: only the very next button or "确认" confirms it. */
  withdraw: z.string().optional(),
  /**
   * An objection sent while a case was reopened, naming no case, with another closed case open to objection: the
   * parent was asked which case. Only the very next press of that case's objection button takes `text` as the reason.
   */
  objectionHeld: z.object({ code: z.string(), text: z.string() }).optional(),
  /**
   * A message held while the parent is asked which open case it adds to, or whether it is the 补正 a disclosure request
   * waits for (addendum.ts). Only the very next button (or a message naming one of `codes`) takes it; 这是新问题 answers it.
   */
  addendum: z.object({ text: z.string(), codes: z.array(z.string()) }).optional(),
  /**
   * An addition ("补充一下…") sent while the chat has no open case, about its closed case `code` (closed-addition.ts):
   * held while the parent chooses to object with it, file it as a new petition, or drop it. Only the very next press
   * (or its label typed) takes it; anything else drops it and is handled as itself.
   */
  closedAddition: z.object({ code: z.string(), text: z.string() }).optional(),
  /** The album (media group) of the last attachment: its further photos are counted, not answered one by one. */
  lastAlbum: z.string().optional(),
  /**
   * A phone given after filing, with several open cases without one: the parent was asked which case it goes to
   * (late-contact.ts). Only the very next button takes it; anything else drops it.
   */
  lateContact: z.object({ phone: z.string(), note: z.string().nullable(), codes: z.array(z.string()) }).optional(),
  /** Code of the case whose stars were just offered: a typed digit N rates it N stars. */
  rating: z.string().optional(),
  /** Recent lines ("家长: …" / "助手: …") for a handoff's context, stored masked (state-privacy.ts). */
  recent: z.array(z.string()).default([]),
  /** The last phone the parent wrote in a recent line (normalised): a handoff case's contact when it has none. */
  recentPhone: z.string().nullable().optional(),
  /** Recent questions by message id (answered texts are not kept in `messages`). */
  asked: z.array(z.object({ id: z.number().int(), text: z.string() })).default([]),
  /** Alternatives offered with the last answer, for the "您是不是想问" buttons. */
  alternatives: z.array(z.object({ entryId: z.string(), section: z.string().nullable(), title: z.string() })).default([]),
  /**
   * The buttons the last turn offered, as shown (typed-press.ts): the next typed message that is one of their labels is
   * that press. A list that no longer reads (a payload changed shape) is dropped alone, not the whole state.
   */
  offered: z
    .array(z.object({ label: z.string(), payload: buttonPayloadSchema }))
    .optional()
    .catch(undefined),
});
export type ConversationState = z.infer<typeof conversationStateSchema>;

export function freshState(): ConversationState {
  return { v: 1, recent: [], asked: [], alternatives: [] };
}

export function parseState(raw: unknown): ConversationState {
  const parsed = conversationStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : freshState();
}

const ASKED_KEPT = 5;

export function remember(state: ConversationState, line: string, limit: number): void {
  if (limit <= 0) return;
  state.recent.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
  if (state.recent.length > limit) state.recent.splice(0, state.recent.length - limit);
}

export function rememberQuestion(state: ConversationState, id: number, text: string): void {
  state.asked.push({ id, text });
  if (state.asked.length > ASKED_KEPT) state.asked.splice(0, state.asked.length - ASKED_KEPT);
}
