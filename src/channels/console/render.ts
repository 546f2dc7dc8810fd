import { t } from '../../core/i18n/index.js';
import '../../core/i18n/chat.js';
import type { Button, Locale, Reply } from '../../core/types.js';

/**
 * Replies as terminal text: heading, text, source line, and every button as a
 * numbered choice ("[1] 有帮助"). The numbers run across the whole batch so the
 * parent can answer with one digit; `buttons` maps number - 1 → button.
 */
export function renderReplies(replies: Reply[], locale: Locale): { text: string; buttons: Button[] } {
  const buttons: Button[] = [];
  const blocks = replies.map((reply) => {
    const lines: string[] = [];
    const body = reply.heading ? `【${reply.heading}】\n${reply.text}` : reply.text;
    lines.push(`${t(locale, 'chat.console.bot')}${body}`);
    if (reply.source) {
      const written = reply.locale ?? locale; // the answer's language, not only the chat's
      const updated = reply.source.updated ? t(written, 'chat.console.sourceUpdated', { date: reply.source.updated }) : '';
      lines.push(`  ${t(written, 'chat.console.source', { title: reply.source.title, updated })}${reply.source.url ? ` ${reply.source.url}` : ''}`);
    }
    for (const row of reply.buttons ?? []) {
      const cells = row.map((b) => {
        buttons.push(b);
        return `[${buttons.length}] ${b.label}`;
      });
      lines.push(`  ${cells.join('   ')}`);
    }
    return lines.join('\n');
  });
  return { text: blocks.join('\n'), buttons };
}
