import type { RespondFn, types } from '@slack/bolt';
import { t } from '../../core/i18n/index.js';
import type { Locale } from '../../core/types.js';
import { LIMITS } from './blocks.js';
import { truncate } from './mrkdwn.js';

/**
 * Long admin output (stats, gaps) as ephemeral pages within Block Kit limits:
 * sections ≤ 2,900 characters, ≤ 50 blocks and ≤ 11,000 characters per message
 * (Slack has refused messages of about 13k characters with msg_blocks_too_long,
 * below the documented limits), and at most 5 messages, as a response_url
 * takes 5 uses. Anything beyond is cut with a note pointing to the CLI.
 */
export const PAGE_LIMITS = { sectionChars: LIMITS.sectionText - 100, pageChars: 11_000, blocksPerPage: LIMITS.blocksPerMessage - 1, pages: 5 } as const;

type Section = types.SectionBlock;

export function pageSections(lines: readonly string[], limits = PAGE_LIMITS): { pages: string[][]; truncated: boolean } {
  const sections: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, limits.sectionChars);
    if (current && Array.from(current).length + Array.from(line).length + 1 > limits.sectionChars) {
      sections.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) sections.push(current);
  const pages: string[][] = [];
  let page: string[] = [];
  let chars = 0;
  for (const section of sections) {
    const size = Array.from(section).length;
    if (page.length > 0 && (page.length >= limits.blocksPerPage || chars + size > limits.pageChars)) {
      pages.push(page);
      [page, chars] = [[], 0];
    }
    page.push(section);
    chars += size;
  }
  if (page.length > 0) pages.push(page);
  return pages.length > limits.pages ? { pages: pages.slice(0, limits.pages), truncated: true } : { pages, truncated: false };
}

const section = (text: string): Section => ({ type: 'section', text: { type: 'mrkdwn', text } });

/**
 * Sends `lines` as ephemeral pages; `fallback` is each message's notification text.
 * `command` names the CLI command (`stats`, `gaps`) offered when the output is cut.
 */
export async function respondPages(respond: RespondFn, l: Locale, lines: readonly string[], fallback: string, command: string): Promise<number> {
  const { pages, truncated } = pageSections(lines);
  for (const [i, page] of pages.entries()) {
    const blocks: types.KnownBlock[] = page.map(section);
    if (truncated && i === pages.length - 1) blocks.push(section(t(l, 'slackKb.truncated', { shown: pages.length, command })));
    const text = pages.length > 1 ? `${fallback} (${i + 1}/${pages.length})` : fallback;
    await respond({ response_type: 'ephemeral', text, blocks });
  }
  return pages.length;
}
