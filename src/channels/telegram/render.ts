import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import '../../core/i18n/telegram.js';
import { t } from '../../core/i18n/index.js';
import type { Button, Locale, Reply, SourceRef } from '../../core/types.js';
import { buttonPayloadSchema, type CallbackCodec } from './callback-codec.js';

/**
 * Reply → Telegram HTML messages. All citizen and knowledge text is escaped
 * here; the only tags are the ones this file writes (<b>, <i>, <a>), each
 * opened and closed inside one paragraph, so splitting at paragraph
 * boundaries never cuts a tag. Lengths are measured on the HTML string, which
 * is never shorter than what Telegram counts (visible characters), so every
 * part is safely within 4096.
 */
export const TELEGRAM_TEXT_LIMIT = 4096;
export const BUTTONS_PER_ROW = 8;
export const BUTTONS_MAX = 100;

export interface RenderedPart {
  html: string;
  /** Set on the last part of a reply that has buttons. */
  buttons?: Button[][];
  caseCode?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/"/g, '&quot;');
}

/**
 * What a part rendered by this file shows, as plain text (the fallback when Telegram refuses its HTML):
 * tags dropped (a link keeps its address after its label), the four entities this file writes decoded.
 */
export function htmlToPlain(html: string): string {
  return html
    .replace(/<a href="([^"]*)">([^<]*)<\/a>/g, '$2 $1')
    .replace(/<\/?[a-z]+[^>]*>/gi, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

const SAFE_URL = /^https?:\/\/[^\s]+$/i;

export function renderSource(source: SourceRef, locale: Locale): string {
  let line = escapeHtml(t(locale, 'telegram.source', { title: clip(source.title, 200) }));
  if (source.section) line += escapeHtml(t(locale, 'telegram.source_section', { section: clip(source.section, 200) }));
  if (source.updated) line += escapeHtml(t(locale, 'telegram.source_updated', { updated: source.updated }));
  let html = `<i>${line}</i>`;
  if (source.url && SAFE_URL.test(source.url) && source.url.length <= 1000)
    html += ` <a href="${escapeAttribute(source.url)}">${escapeHtml(t(locale, 'telegram.source_link'))}</a>`;
  return html;
}

function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Cuts plain text so that each piece, once escaped, fits `limit`. Prefers a
 * line break, then a sentence end or a space in the last fifth of the piece;
 * never splits a surrogate pair or an entity.
 */
export function splitPlain(text: string, limit: number): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let size = 0;
    let end = start;
    while (end < chars.length && size + escapeHtml(chars[end] ?? '').length <= limit) {
      size += escapeHtml(chars[end] ?? '').length;
      end += 1;
    }
    if (end < chars.length) {
      const floor = start + Math.floor((end - start) * 0.8);
      for (const pattern of [/\n/, /[。！？!?；;]/, /\s/]) {
        const cut = lastBreak(chars, pattern, floor, end);
        if (cut > start) {
          end = cut;
          break;
        }
      }
    }
    pieces.push(chars.slice(start, end).join(''));
    start = end;
  }
  return pieces;
}

function lastBreak(chars: string[], pattern: RegExp, floor: number, end: number): number {
  for (let i = end - 1; i >= floor; i -= 1) if (pattern.test(chars[i] ?? '')) return i + 1;
  return -1;
}

/** Joins paragraphs (already HTML) into messages of at most `limit` characters. */
export function packParagraphs(paragraphs: string[], limit: number): string[] {
  const messages: string[] = [];
  let current = '';
  for (const paragraph of paragraphs) {
    const candidate = current === '' ? paragraph : `${current}\n\n${paragraph}`;
    if (candidate.length <= limit) current = candidate;
    else {
      if (current !== '') messages.push(current);
      current = paragraph;
    }
  }
  if (current !== '') messages.push(current);
  return messages;
}

/** One Reply → one or more HTML parts; buttons and case code ride on the last part. */
export function renderReply(reply: Reply, locale: Locale, limit = TELEGRAM_TEXT_LIMIT): RenderedPart[] {
  const paragraphs: string[] = [];
  if (reply.heading) paragraphs.push(`<b>${escapeHtml(clip(reply.heading, 500))}</b>`);
  for (const block of reply.text.split(/\n{2,}/)) {
    if (block.trim() === '') continue;
    for (const piece of splitPlain(block, limit)) paragraphs.push(escapeHtml(piece));
  }
  if (reply.source) paragraphs.push(renderSource(reply.source, reply.locale ?? locale));
  if (paragraphs.length === 0) paragraphs.push('…');
  const parts: RenderedPart[] = packParagraphs(paragraphs, limit).map((html) => ({ html }));
  const last = parts[parts.length - 1];
  if (last) {
    if (reply.buttons && reply.buttons.length > 0) last.buttons = reply.buttons;
    if (reply.caseCode) last.caseCode = reply.caseCode;
  }
  return parts;
}

/** Rows longer than 8 wrap; more than 100 buttons are cut (Telegram's practical limits). */
export function layoutButtons(rows: Button[][]): Button[][] {
  const out: Button[][] = [];
  let total = 0;
  for (const row of rows) {
    for (let i = 0; i < row.length; i += BUTTONS_PER_ROW) {
      const chunk = row.slice(i, i + BUTTONS_PER_ROW).slice(0, BUTTONS_MAX - total);
      if (chunk.length === 0) return out;
      out.push(chunk);
      total += chunk.length;
    }
  }
  return out;
}

/**
 * The inline keyboard. A button whose payload no callback_data can carry (it fails the payload schema: a knowledge
 * heading over 200 characters offered as an alternative) is left out and passed to `leftOut`: the words and the other
 * buttons still go (the failure would be the same on every retry). A store failure (the database) still throws.
 */
export async function buildKeyboard(rows: Button[][], codec: CallbackCodec, leftOut: (button: Button) => void = () => undefined): Promise<InlineKeyboardMarkup> {
  const inline_keyboard: InlineKeyboardButton[][] = [];
  for (const row of layoutButtons(rows)) {
    const out: InlineKeyboardButton[] = [];
    for (const button of row) {
      if (!buttonPayloadSchema.safeParse(button.payload).success) {
        leftOut(button);
        continue;
      }
      out.push({ text: clip(button.label, 64), callback_data: await codec.encode(button.payload) });
    }
    if (out.length > 0) inline_keyboard.push(out);
  }
  return { inline_keyboard };
}
