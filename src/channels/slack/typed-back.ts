import { t } from '../../core/i18n/index.js';
import type { Locale } from '../../core/types.js';
import { escapeMrkdwn } from './mrkdwn.js';

interface ViewLike {
  state?: { values?: Record<string, Record<string, { type?: string; value?: string | null }>> };
  blocks?: { block_id?: string; label?: { text?: string } }[];
}

/**
 * What staff typed into a modal's text fields, given back when the submission failed after the modal had closed
 * (the database refused the write, the desk refused the action, Slack could not confirm staff): an answer to a parent
 * of several paragraphs is not to be retyped from memory. Each field under its label, in a code block (copied as
 * typed; only Slack's three control characters are escaped). This goes to its author only, as the modal showed it:
 * nothing is masked, so the copy is whole. Empty when nothing was typed.
 */
export function typedBack(l: Locale, view: ViewLike | undefined): string {
  const labels = new Map((view?.blocks ?? []).map((b) => [b.block_id ?? '', b.label?.text ?? '']));
  const typed = Object.entries(view?.state?.values ?? {}).flatMap(([blockId, actions]) =>
    Object.values(actions)
      .filter((a) => a.type === 'plain_text_input' && a.value?.trim())
      .map((a) => `${labels.get(blockId) || blockId}：\n\`\`\`\n${escapeMrkdwn(a.value!.trim())}\n\`\`\``),
  );
  return typed.length > 0 ? `\n\n${t(l, 'slack.msg.typedBack')}\n${typed.join('\n')}` : '';
}
