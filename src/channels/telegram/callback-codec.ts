import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CASE_TYPES, type ButtonPayload } from '../../core/types.js';
import { MENU_ITEMS, buttonPayloadSchema } from '../../core/button-payload.js';

export { buttonPayloadSchema };

/**
 * Packs a typed ButtonPayload into Telegram's callback_data (1–64 bytes) and
 * back. Format: `<body>.<mac>` where body is a one-letter kind plus short
 * fields (`r|XH-2026-000123|5`) and mac is 8 base64url characters of an HMAC
 * keyed by the bot token, so a forged or edited payload is rejected. Bodies
 * that would not fit (long entry ids or Chinese section names) are stored and
 * the button carries a random token (`k|<token>`). Decoding never throws:
 * anything unknown, forged or expired comes back as `null` (a stale button).
 *
 * @example
 *   const codec = createCallbackCodec({ secret: token, store });
 *   const data = await codec.encode({ kind: 'rate', caseCode: 'XH-2026-000001', value: 5 }); // "r|XH-2026-000001|5.Ab3…"
 *   await codec.decode(data); // { kind: 'rate', caseCode: 'XH-2026-000001', value: 5 }
 */
export const CALLBACK_DATA_MAX_BYTES = 64;
const MAC_LENGTH = 8;

export interface CallbackStore {
  save(token: string, payloadJson: string): Promise<void>;
  load(token: string): Promise<string | null>;
}

export interface CallbackCodec {
  encode(payload: ButtonPayload): Promise<string>;
  decode(data: string): Promise<ButtonPayload | null>;
}

/** One letter per step a confirm/cancel is bound to (`y|w|XH-2026-000001`). */
const TARGET_LETTER = { file: 'f', erase: 'e', withdraw: 'w', object: 'o' } as const;
const TARGET_OF_LETTER: Record<string, string> = { f: 'file', e: 'erase', w: 'withdraw', o: 'object' };
/** An addition to a closed case: object with it, file it as a new petition, or drop it (`x|XH-2026-000001|r`). */
const CHOICE_LETTER = { reopen: 'r', new: 'n', none: '0' } as const;
const CHOICE_OF_LETTER: Record<string, string> = { r: 'reopen', n: 'new', 0: 'none' };

function pack(p: ButtonPayload): string {
  switch (p.kind) {
    case 'ask': {
      // 'q' carries the id of the question the choice was offered for; 'a' (older buttons) does not.
      const head = p.questionId === undefined ? `a|${p.entryId}` : `q|${p.questionId}|${p.entryId}`;
      return p.section === null ? head : `${head}|${p.section}`;
    }
    case 'feedback':
      return `f|${p.messageId}|${p.helpful ? 1 : 0}`;
    case 'file-case':
      return `c|${p.messageId}`;
    case 'case-type':
      return `t|${CASE_TYPES.indexOf(p.type)}`;
    case 'confirm':
    case 'cancel': {
      const head = p.kind === 'confirm' ? 'y' : 'n';
      if (!p.of) return head;
      return p.ref === undefined ? `${head}|${TARGET_LETTER[p.of]}` : `${head}|${TARGET_LETTER[p.of]}|${p.ref}`;
    }
    case 'skip':
      return 's';
    case 'rate':
      return `r|${p.caseCode}|${p.value}`;
    case 'reopen':
      return `o|${p.caseCode}`;
    case 'add-to-case':
      return `d|${p.caseCode}`;
    case 'closed-addition':
      return `x|${p.caseCode}|${CHOICE_LETTER[p.choice]}`;
    case 'choose':
      return `h|${p.value}`;
    case 'lang':
      return `l|${p.locale}`;
    case 'menu':
      return `m|${MENU_ITEMS.indexOf(p.item)}`;
  }
}

function unpack(body: string): unknown {
  const [kind, a = '', ...rest] = body.split('|');
  const b = rest.join('|');
  const int = (s: string) => (/^\d{1,12}$/.test(s) ? Number(s) : NaN);
  switch (kind) {
    case 'a':
      return { kind: 'ask', entryId: a, section: rest.length === 0 ? null : b };
    case 'q': {
      const [entryId = '', ...section] = rest;
      return { kind: 'ask', questionId: int(a), entryId, section: section.length === 0 ? null : section.join('|') };
    }
    case 'f':
      return { kind: 'feedback', messageId: int(a), helpful: b === '1' ? true : b === '0' ? false : undefined };
    case 'c':
      return { kind: 'file-case', messageId: int(a) };
    case 't':
      return { kind: 'case-type', type: CASE_TYPES[int(a)] };
    case 'y':
    case 'n': {
      const head = kind === 'y' ? 'confirm' : 'cancel';
      if (body.length === 1) return { kind: head };
      const of = TARGET_OF_LETTER[a];
      if (!of) return null;
      return { kind: head, of, ...(rest.length > 0 ? { ref: b } : {}) };
    }
    case 's':
      return { kind: 'skip' };
    case 'r':
      return { kind: 'rate', caseCode: a, value: int(b) };
    case 'o':
      return { kind: 'reopen', caseCode: a };
    case 'd':
      return { kind: 'add-to-case', caseCode: a };
    case 'x':
      return { kind: 'closed-addition', caseCode: a, choice: CHOICE_OF_LETTER[b] };
    case 'h':
      return { kind: 'choose', value: a };
    case 'l':
      return { kind: 'lang', locale: a };
    case 'm':
      return { kind: 'menu', item: MENU_ITEMS[int(a)] };
    default:
      return null;
  }
}

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

export function createCallbackCodec(options: { secret: string; store: CallbackStore }): CallbackCodec {
  const key = createHash('sha256').update(`civicdesk-callback:${options.secret}`).digest();
  const mac = (body: string) => createHmac('sha256', key).update(body).digest('base64url').slice(0, MAC_LENGTH);
  const sign = (body: string) => `${body}.${mac(body)}`;

  return {
    async encode(payload) {
      const valid = buttonPayloadSchema.parse(payload);
      const body = pack(valid);
      const fitsInline = !(valid.kind === 'ask' && valid.entryId.includes('|'));
      const direct = sign(body);
      if (fitsInline && byteLength(direct) <= CALLBACK_DATA_MAX_BYTES) return direct;
      const token = randomBytes(12).toString('base64url');
      await options.store.save(token, JSON.stringify(valid));
      return sign(`k|${token}`);
    },
    async decode(data) {
      const dot = data.lastIndexOf('.');
      if (dot <= 0 || byteLength(data) > CALLBACK_DATA_MAX_BYTES) return null;
      const body = data.slice(0, dot);
      const given = Buffer.from(data.slice(dot + 1));
      const expected = Buffer.from(mac(body));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      let candidate: unknown;
      if (body.startsWith('k|')) {
        const json = await options.store.load(body.slice(2));
        if (json === null) return null;
        try {
          candidate = JSON.parse(json);
        } catch {
          return null;
        }
      } else {
        candidate = unpack(body);
      }
      const parsed = buttonPayloadSchema.safeParse(candidate);
      return parsed.success ? parsed.data : null;
    },
  };
}
