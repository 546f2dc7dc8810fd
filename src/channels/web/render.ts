import type { Reply, SourceRef } from '../../core/types.js';
import type { WebMessageRow } from '../../storage/web-repo.js';

/**
 * A transcript line as the browser gets it. Everything is plain text that the
 * page puts in with textContent; a button carries only a reference to its
 * place in a stored bot line, so the payload the engine acts on is always the
 * one the server wrote (a browser cannot forge one).
 */
export interface WebMessageDto {
  id: number;
  role: 'parent' | 'bot';
  at: string;
  text: string;
  heading?: string;
  source?: { title: string; section: string | null; updated: string | null; url: string | null };
  buttons?: { label: string; ref: string }[][];
  caseCode?: string;
}

/** Only absolute http(s) links become links; anything else (javascript:, relative) is dropped. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function source(ref: SourceRef | undefined): WebMessageDto['source'] {
  if (!ref) return undefined;
  return { title: ref.title, section: ref.section, updated: ref.updated, url: safeUrl(ref.url) };
}

export function toDto(row: WebMessageRow): WebMessageDto {
  if (row.role === 'parent') {
    const payload = JSON.parse(row.payload) as { text?: string };
    return { id: row.id, role: 'parent', at: row.createdAt, text: String(payload.text ?? '') };
  }
  const reply = JSON.parse(row.payload) as Reply;
  const dto: WebMessageDto = { id: row.id, role: 'bot', at: row.createdAt, text: String(reply.text ?? '') };
  if (reply.heading) dto.heading = reply.heading;
  const src = source(reply.source);
  if (src) dto.source = src;
  if (reply.caseCode) dto.caseCode = reply.caseCode;
  if (reply.buttons?.length)
    dto.buttons = reply.buttons.map((row_, r) => row_.map((button, c) => ({ label: button.label, ref: `${row.id}.${r}.${c}` })));
  return dto;
}

/** `"12.0.1"` → line 12, row 0, column 1. */
export function parseButtonRef(ref: string): { messageId: number; row: number; col: number } | null {
  const match = /^(\d{1,15})\.(\d{1,2})\.(\d{1,2})$/.exec(ref);
  return match ? { messageId: Number(match[1]), row: Number(match[2]), col: Number(match[3]) } : null;
}
