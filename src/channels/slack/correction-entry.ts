import { t } from '../../core/i18n/index.js';
import { localDate } from './mrkdwn.js';
import { actorOf } from './guard.js';
import { clockDeskOf, type SlackDeskContext } from './types.js';

/**
 * 补正已收到 (《政府信息公开条例》第三十条 "答复期限自行政机关收到补正的申请之日起计算"), from the modal or `/case corrected`:
 * the desk restarts the clock on `receivedOn` (default today) and the staff member is told the new deadline.
 */
export async function recordCorrectionFor(ctx: SlackDeskContext, code: string, text: string, user: string, receivedOn?: string): Promise<string> {
  const record = await clockDeskOf(ctx).receiveCorrection(code, text, actorOf(user), receivedOn);
  const date = receivedOn ?? localDate(ctx.now(), ctx.timeZone);
  return t(ctx.locale, 'slack.msg.correctionReceived', { code: record.code, date, deadline: record.deadlineOn ?? t(ctx.locale, 'slack.field.none') });
}
