import { z } from 'zod';
import { CASE_TYPES, type ButtonPayload } from './types.js';

/**
 * A ButtonPayload validated: what the Telegram callback codec unpacks, and what the engine keeps of the buttons it
 * offered last turn (a typed label is read as the press, engine/typed-press.ts). One schema for both.
 */
export const MENU_ITEMS = ['help', 'file', 'status', 'privacy', 'human'] as const;
const CONFIRM_TARGETS = ['file', 'erase', 'withdraw'] as const;
const CANCEL_TARGETS = ['file', 'erase', 'withdraw', 'object'] as const;
/** A filing id or a case code: short and free of the separator. */
const STEP_REF = z.string().regex(/^[A-Za-z0-9-]{1,40}$/);

export const buttonPayloadSchema: z.ZodType<ButtonPayload> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ask'),
    entryId: z.string().min(1).max(200),
    section: z.string().max(200).nullable(),
    questionId: z.number().int().nonnegative().optional(),
  }),
  z.object({ kind: z.literal('feedback'), messageId: z.number().int().nonnegative(), helpful: z.boolean() }),
  z.object({ kind: z.literal('file-case'), messageId: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('case-type'), type: z.enum(CASE_TYPES) }),
  z.object({ kind: z.literal('confirm'), of: z.enum(CONFIRM_TARGETS).optional(), ref: STEP_REF.optional() }),
  z.object({ kind: z.literal('cancel'), of: z.enum(CANCEL_TARGETS).optional(), ref: STEP_REF.optional() }),
  z.object({ kind: z.literal('skip') }),
  z.object({ kind: z.literal('rate'), caseCode: z.string().min(1).max(40), value: z.number().int().min(0).max(10) }),
  z.object({ kind: z.literal('reopen'), caseCode: z.string().min(1).max(40) }),
  z.object({ kind: z.literal('add-to-case'), caseCode: z.string().min(1).max(40) }),
  z.object({ kind: z.literal('closed-addition'), caseCode: z.string().min(1).max(40), choice: z.enum(['reopen', 'new', 'none']) }),
  z.object({ kind: z.literal('choose'), value: z.string().regex(/^[a-z0-9:-]{1,32}$/) }),
  z.object({ kind: z.literal('lang'), locale: z.enum(['zh', 'en']) }),
  z.object({ kind: z.literal('menu'), item: z.enum(MENU_ITEMS) }),
]);
