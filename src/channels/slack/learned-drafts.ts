import type { webApi } from '@slack/bolt';
import { draftEntry, writeDraft } from '../../core/drafts/draft-entry.js';
import type { CaseRecord } from '../../core/cases/types.js';
import { t } from '../../core/i18n/index.js';
import { errorText } from '../../core/i18n/errors-text.js';
import { isAppError } from '../../core/errors.js';
import { recordAudit } from '../../storage/audit-repo.js';
import { actorOf, tellUser } from './guard.js';
import { escapeMrkdwn, localDate } from './mrkdwn.js';
import type { SlackDeskContext } from './types.js';

/**
 * "Answers learned from cases": a case that came from a question the bot could
 * not answer (it carries the source message) may leave a draft knowledge entry
 * when staff close it. Only offered when the desk knows the knowledge folder.
 */
export const DRAFT_VALUE = 'draft';

export function offersDraft(ctx: SlackDeskContext, record: Pick<CaseRecord, 'sourceMessageId'>): boolean {
  return ctx.knowledgeDir !== undefined && record.sourceMessageId !== null;
}

/**
 * Writes `<knowledgeDir>/_drafts/draft-<code>.md` from the case text and the
 * latest staff reply (else the closing note), audits it, and posts the path to
 * the staff channel mentioning the admins. Returns the path, or null after
 * telling the closing user why nothing was written.
 */
export async function draftFromClosedCase(
  ctx: SlackDeskContext,
  client: webApi.WebClient,
  code: string,
  userId: string,
): Promise<string | null> {
  try {
    const record = await ctx.desk.get(code);
    if (!record || !offersDraft(ctx, record) || !ctx.knowledgeDir) return null;
    const history = await ctx.desk.history(code);
    const reply = history.filter((e) => e.kind === 'reply' && e.note?.trim()).at(-1)?.note ?? record.closeNote ?? '';
    const now = ctx.now();
    const draft = draftEntry({ caseCode: record.code, question: record.text, reply, today: localDate(now, ctx.timeZone) });
    const path = writeDraft(ctx.knowledgeDir, draft);
    await recordAudit(ctx.db, { actor: actorOf(userId), action: 'kb.draft', subject: record.code, detail: path, at: now });
    const mentions = ctx.adminUserIds.filter((id) => /^[UW][A-Z0-9]+$/.test(id)).map((id) => `<@${id}>`);
    const text = t(ctx.locale, 'slackKb.drafted', { code: record.code, path: escapeMrkdwn(path) });
    await client.chat.postMessage({ channel: ctx.staffChannel, text: mentions.length > 0 ? `${mentions.join(' ')} ${text}` : text, unfurl_links: false });
    return path;
  } catch (error) {
    ctx.logger.error({ err: error, caseCode: code }, 'slack: drafting a knowledge entry failed');
    const reason = isAppError(error) ? escapeMrkdwn(errorText(ctx.locale, error)) : t(ctx.locale, 'slack.msg.internal');
    await tellUser(client, ctx, userId, t(ctx.locale, 'slackKb.draftFailed', { code, reason }));
    return null;
  }
}
