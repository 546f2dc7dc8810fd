import { maskIdNumbers, maskPersonalData } from '../../core/privacy/mask.js';

/** Slack mrkdwn control characters: only these three (api.slack.com formatting reference). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Masked, escaped pieces (one per character; `&lt;` is one piece): Block Kit limits count the escaped text. */
function escapedPieces(text: string, phones: 'masked' | 'full'): string[] {
  return Array.from(phones === 'full' ? maskIdNumbers(text) : maskPersonalData(text), (ch) => escapeMrkdwn(ch));
}
const lengthOf = (pieces: readonly string[]) => pieces.reduce((n, p) => n + p.length, 0);

/**
 * Citizen text for a staff-channel post: personal numbers masked, then escaped so `<!channel>` cannot
 * ping, cut with an ellipsis so the escaped text stays within `max` characters (escaping `&<>` lengthens it).
 * `phones: 'full'` only for the audited /case CODE detail, where staff call the parent back: ID numbers stay masked.
 */
export function citizenText(text: string, max = 2900, phones: 'masked' | 'full' = 'masked'): string {
  const pieces = escapedPieces(text, phones);
  if (lengthOf(pieces) <= max) return pieces.join('');
  let out = '';
  let used = 1; // the ellipsis
  for (const piece of pieces) {
    if (used + piece.length > max) break;
    out += piece;
    used += piece.length;
  }
  return `${out}…`;
}

/**
 * The whole citizen text as mrkdwn chunks of at most `max` escaped characters each (one section block
 * apiece), nothing cut: a chunk ends at the last line break or sentence end in its final fifth when
 * there is one.
 */
export function citizenSections(text: string, max = 2900): string[] {
  const sections = chunkAtSentences(escapedPieces(text, 'masked'), max);
  return sections.length > 0 ? sections : [''];
}

/**
 * `tokens` joined into chunks of at most `max` UTF-16 units (a token longer than `max` stands alone), nothing cut: a
 * chunk ends at the last line break or sentence end in its final fifth when there is one.
 */
function chunkAtSentences(tokens: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < tokens.length) {
    let end = start;
    let used = 0;
    while (end < tokens.length && (end === start || used + tokens[end]!.length <= max)) used += tokens[end++]!.length;
    if (end < tokens.length) {
      for (let i = end - 1; i > start + ((end - start) * 4) / 5; i--)
        if (/^[\n。！？!?；;]$/.test(tokens[i]!)) {
          end = i + 1;
          break;
        }
    }
    chunks.push(tokens.slice(start, end).join(''));
    start = end;
  }
  return chunks;
}

/**
 * Mrkdwn (already escaped) as pieces of at most `max` UTF-16 units each, nothing cut: a piece ends at the last line
 * break or sentence end in its final fifth when there is one, and never inside an entity (`&amp;`), a link or
 * mention (`<@U123>`) or a surrogate pair. For text longer than one section block or one thread message: a cut
 * with an ellipsis would hide the rest of what a citizen wrote from staff.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  return chunkAtSentences(text.match(/&(?:amp|lt|gt);|<[^<>\n]{1,300}>|[\s\S]/gu) ?? [], max);
}

/** Cut to `max` characters (code points) with an ellipsis; Block Kit counts characters. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** YYYY-MM-DD of `now` in `timeZone`. */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** "2026-11-28 09:30" in `timeZone`, for staff-facing times. */
export function localDateTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
