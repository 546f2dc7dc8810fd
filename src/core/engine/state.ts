import { z } from 'zod';
import { CASE_TYPES } from '../types.js';

/**
 * Per-chat conversation state, stored as JSON in `conversations.state_json`.
 * `v` is the format version: a row in an unknown format starts fresh rather
 * than crashing the chat.
 */
export const FILING_STEPS = ['type', 'content', 'contact', 'confirm'] as const;

export const filingSchema = z.object({
  step: z.enum(FILING_STEPS),
  type: z.enum(CASE_TYPES).optional(),
  content: z.string().optional(),
  contact: z.string().nullable().optional(),
  sourceMessageId: z.number().int().nullable().optional(),
  /** Idempotency key: a retried confirm (crash, double press) files one case. */
  key: z.string(),
});
export type FilingState = z.infer<typeof filingSchema>;

export const conversationStateSchema = z.object({
  v: z.literal(1),
  filing: filingSchema.optional(),
  /** Code of the open handoff case: messages go to staff instead of the bot. */
  handoff: z.string().optional(),
  /** Waiting for the privacy erase confirmation. */
  erase: z.boolean().optional(),
  /** Recent lines ("家长: …" / "助手: …") for a handoff's context. */
  recent: z.array(z.string()).default([]),
  /** Recent questions by message id (answered texts are not kept in `messages`). */
  asked: z.array(z.object({ id: z.number().int(), text: z.string() })).default([]),
  /** Alternatives offered with the last answer, for the "您是不是想问" buttons. */
  alternatives: z.array(z.object({ entryId: z.string(), section: z.string().nullable(), title: z.string() })).default([]),
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
