import type { StaffPost } from '../staff-post.js';

/**
 * Turns titled sections of lines into Slack Block Kit pages: at most
 * MAX_BLOCKS blocks per message and MAX_SECTION_CHARS characters per section
 * text. Every line exists twice: plain (`text`, what the console prints and
 * Slack shows in notifications) and mrkdwn (`mrkdwn`, escaped, with links).
 */
export const MAX_BLOCKS = 50;
export const MAX_SECTION_CHARS = 3000;

export interface Line {
  text: string;
  mrkdwn: string;
}

export interface Section {
  heading: string;
  lines: Line[];
}

/** Slack mrkdwn control characters: only &, < and > (a citizen's "<!channel>" must not ping anyone). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function plainLine(text: string): Line {
  return { text, mrkdwn: escapeMrkdwn(text) };
}

interface Block {
  block: Record<string, unknown>;
  text: string;
}

function chunk(lines: Line[]): Block[] {
  const blocks: Block[] = [];
  let md: string[] = [];
  let plain: string[] = [];
  let size = 0;
  const flush = () => {
    if (md.length === 0) return;
    blocks.push({ block: { type: 'section', text: { type: 'mrkdwn', text: md.join('\n') } }, text: plain.join('\n') });
    md = [];
    plain = [];
    size = 0;
  };
  for (const line of lines) {
    const piece = line.mrkdwn.length > MAX_SECTION_CHARS ? `${line.mrkdwn.slice(0, MAX_SECTION_CHARS - 1)}…` : line.mrkdwn;
    if (size + piece.length + 1 > MAX_SECTION_CHARS) flush();
    md.push(piece);
    plain.push(line.text);
    size += piece.length + 1;
  }
  flush();
  return blocks;
}

/**
 * @example
 *   paginate('📋 每日摘要 2026-11-30', sections, (p, n) => `（第 ${p}/${n} 页）`)
 */
export function paginate(title: string, sections: Section[], pageLabel: (page: number, pages: number) => string): StaffPost[] {
  const all: Block[] = [];
  for (const s of sections) {
    all.push({ block: { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(s.heading)}*` } }, text: s.heading });
    all.push(...chunk(s.lines));
  }
  const perPage = MAX_BLOCKS - 1; // one block for the title
  const pages: Block[][] = [];
  for (let i = 0; i < all.length; i += perPage) pages.push(all.slice(i, i + perPage));
  if (pages.length === 0) pages.push([]);
  return pages.map((blocks, i) => {
    const heading = pages.length > 1 ? `${title} ${pageLabel(i + 1, pages.length)}` : title;
    const head: Block = { block: { type: 'header', text: { type: 'plain_text', text: heading.slice(0, 150) } }, text: heading };
    const withHead = [head, ...blocks];
    return { text: withHead.map((b) => b.text).join('\n'), blocks: withHead.map((b) => b.block) };
  });
}
