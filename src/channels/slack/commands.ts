import type { App, RespondFn, SlashCommand, webApi } from '@slack/bolt';
import { isAppError } from '../../core/errors.js';
import { markInboundProcessed } from '../../storage/slack-repo.js';
import { errorText } from '../../core/i18n/errors-text.js';
import { t } from '../../core/i18n/index.js';
import type { Guards } from './guard.js';
import { caseDetail, caseList, parseListArgs } from './listing.js';
import { discloseModal, newCaseModal } from './modals.js';
import { escapeMrkdwn } from './mrkdwn.js';
import type { SlackDeskContext } from './types.js';
import type { CaseDeskImpl } from '../../core/cases/desk.js';
import { ANSWER_WAYS, type AnswerWay, type CaseAction } from '../../core/cases/types.js';
import { canonicalCaseCode } from '../../core/cases/case-code.js';
import { failureText, shownCode } from './guard.js';
import { slackFailureText } from './api-failure.js';
import { seconds, SlackStepHung, within } from './bounded.js';
import { parseReviewText } from '../shared/review-command.js';
import { parseAppealText } from '../shared/appeal-command.js';
import { openAppealModal, recordAppealFor } from './appeal-entry.js';
import { openReviewModal, recordReviewFor } from './review-entry.js';
import { recordCorrectionFor } from './correction-entry.js';
import { parseRateText, recordRatingFor } from './rating-entry.js';

/** What a slash (sub)command handler gets. `args` are the words after the command (and subcommand). */
export interface CommandArgs {
  ctx: SlackDeskContext;
  command: SlashCommand;
  args: string[];
  client: webApi.WebClient;
  respond: RespondFn;
  say: (text: string) => Promise<void>;
}

export interface CommandHandler {
  /** 'staff': staff ids or staff-channel members; 'admin': SLACK_ADMIN_USER_IDS. */
  access: 'staff' | 'admin';
  run(args: CommandArgs): Promise<void>;
}

/** `/kb` subcommands. The admin issue adds `stats`, `reload`, `gaps` by passing more entries to createSlackApp. */
export const kbCommands: Record<string, CommandHandler> = {
  search: {
    access: 'staff',
    async run({ ctx, args, say, respond }) {
      const text = args.join(' ').trim();
      if (!text) return say(t(ctx.locale, 'slack.msg.usage.kb', { subs: 'search' }));
      if (!ctx.kbSearch) return say(t(ctx.locale, 'slack.msg.kbUnavailable'));
      const hits = await ctx.kbSearch(text, 5);
      if (hits.length === 0) return say(t(ctx.locale, 'slack.msg.kbNone', { text: escapeMrkdwn(text) }));
      const lines = hits.map((h) => `• *${escapeMrkdwn(h.title)}*${h.section ? ` › ${escapeMrkdwn(h.section)}` : ''} \`${escapeMrkdwn(h.entryId)}\` (${h.score.toFixed(2)})`);
      await respond({ response_type: 'ephemeral', text: `${t(ctx.locale, 'slack.msg.kbHeading', { text: escapeMrkdwn(text) })}\n${lines.join('\n')}` });
    },
  },
};

/** The top-level slash commands; `/kb` dispatches on its first word through `kb`. */
export function commandTable(kb: Record<string, CommandHandler>): Record<string, CommandEntry> {
  return {
    '/cases': {
      access: 'staff',
      async run({ ctx, command, args, respond, say }) {
        const parsed = parseListArgs(args);
        if (!parsed) return say(t(ctx.locale, 'slack.msg.usage.cases'));
        const page = await caseList(ctx, command.user_id, parsed);
        await respond({ response_type: 'ephemeral', ...page });
      },
    },
    '/case': {
      access: 'staff',
      async run(a) {
        const [first] = a.args;
        if (first?.toLowerCase() === 'new') {
          await a.client.views.open({ trigger_id: a.command.trigger_id, view: newCaseModal(a.ctx.locale, a.ctx.now(), a.ctx.timeZone) });
          return;
        }
        if (!first) return a.say(t(a.ctx.locale, 'slack.msg.usage.case'));
        if (first.toLowerCase() === 'notified') return recordNotice(a);
        if (first.toLowerCase() === 'review') return recordReview(a);
        if (first.toLowerCase() === 'appeal') return recordAppeal(a);
        if (first.toLowerCase() === 'return' || first === '退单') return returnCase(a);
        if (first.toLowerCase() === 'withdraw' || first === '撤回') return withdrawCase(a);
        if (first.toLowerCase() === 'corrected' || first === '补正已收到') return correctedCase(a);
        if (first.toLowerCase() === 'rate') return recordRating(a);
        // A word that is no case code (no digit in it, in any script: ＸＨ－２０２６… is a code) is a subcommand this
        // desk does not know, not "没有找到案件 …".
        const code = canonicalCaseCode(first);
        if (!/\p{Nd}/u.test(code)) return a.say(t(a.ctx.locale, 'slack.msg.usage.case'));
        const pages = await caseDetail(a.ctx, code, a.command.user_id);
        if (!pages) return a.say(t(a.ctx.locale, 'slack.msg.notFound', { code: shownCode(first) }));
        for (const page of pages) await a.respond({ response_type: 'ephemeral', ...page });
      },
    },
    '/disclose': {
      access: 'staff',
      async run({ ctx, client, command }) {
        await client.views.open({ trigger_id: command.trigger_id, view: discloseModal(ctx.locale, ctx.now(), ctx.timeZone) });
      },
    },
    '/kb': kb,
  };
}

/**
 * `/case notified CODE 电话`: the 信访 受理告知 (《信访条例》第二十二条) given outside the bot, with how (电话/书面/当面/
 * 民心网, also written 方式=电话 as on the console). The staff desk then updates the card and its thread.
 */
async function recordNotice(a: CommandArgs): Promise<void> {
  const [, code, wayWord] = a.args;
  const desk = a.ctx.desk as Partial<CaseDeskImpl>;
  const way = wayWord?.replace(/^方式[=＝:：]/u, '');
  if (!code || !way || !desk.recordAcceptanceNotice) return a.say(t(a.ctx.locale, 'slack.msg.usage.notified'));
  const record = await desk.recordAcceptanceNotice(code, way as AnswerWay, `slack:${a.command.user_id}`);
  await a.say(t(a.ctx.locale, 'slack.msg.noticeRecorded', { code: record.code, via: escapeMrkdwn(record.acceptanceNoticeVia ?? way) }));
}

/** `/case return CODE 原因 [方式=电话]` (or `/case 退单 …`): the text form of the 退单 modal. */
async function returnCase(a: CommandArgs): Promise<void> {
  const [, code, ...rest] = a.args;
  const { text, via } = takeWay(rest);
  if (!code || !text) return a.say(t(a.ctx.locale, 'slack.msg.usage.return'));
  await actFromCommand(a, code, { kind: 'return', reason: text, ...(via ? { via } : {}) });
}

/** `/case withdraw CODE 方式=电话 [说明]` (or `/case 撤回 …`): a withdrawal the citizen made outside the chat. */
async function withdrawCase(a: CommandArgs): Promise<void> {
  const [, code, ...rest] = a.args;
  const { text, via } = takeWay(rest);
  if (!code || !via) return a.say(t(a.ctx.locale, 'slack.msg.usage.withdraw'));
  await actFromCommand(a, code, { kind: 'withdraw', via, ...(text ? { note: text } : {}) });
}

/** `/case corrected CODE [YYYY-MM-DD] [说明]`: the 补正已收到 modal as text (a 补正 that came by post or in person). */
async function correctedCase(a: CommandArgs): Promise<void> {
  const [, code, ...rest] = a.args;
  if (!code) return a.say(t(a.ctx.locale, 'slack.msg.usage.corrected'));
  const dated = rest[0] && /^\d{4}-\d{1,2}-\d{1,2}$/.test(rest[0]) ? rest.shift()!.replace(/-(\d)(?=-|$)/g, '-0$1') : undefined;
  try {
    await a.say(await recordCorrectionFor(a.ctx, code, rest.join(' ').trim() || '-', a.command.user_id, dated));
  } catch (error) {
    await a.say(failureText(a.ctx, code, error));
  }
}

/** "方式=电话" (or a bare 电话/书面/当面/民心网 word) among the words: the answer way, and the rest as text. */
function takeWay(words: string[]): { text: string; via?: AnswerWay } {
  let via: AnswerWay | undefined;
  const rest = words.filter((w) => {
    const way = w.replace(/^方式[=＝:：]/u, '');
    if (via || !(ANSWER_WAYS as readonly string[]).includes(way)) return true;
    via = way as AnswerWay;
    return false;
  });
  return { text: rest.join(' ').trim(), ...(via ? { via } : {}) };
}

/** One lifecycle action from a text command: the desk's refusal is the answer (failureText), success a short line. */
async function actFromCommand(a: CommandArgs, code: string, action: CaseAction): Promise<void> {
  try {
    const { case: record } = await a.ctx.desk.act(code, action, `slack:${a.command.user_id}`);
    await a.say(t(a.ctx.locale, action.kind === 'return' ? 'slack.msg.returned' : 'slack.msg.withdrawn', { code: record.code }));
  } catch (error) {
    await a.say(failureText(a.ctx, code, error));
  }
}

/**
 * `/case review CODE`: opens the 复查 / 复核 modal (review-entry.ts). `/case review CODE 复查 结果=维持 请求=2026-07-20
 * 意见=2026-08-10 [收到=…] [机关=…] [送达=…] [说明]`: the same entry in the console's text form (review-command.ts);
 * `复查 请求=…` alone records a request whose decision is still to come. Both go through recordReviewFor; the staff desk
 * then updates the card and its thread.
 */
async function recordReview(a: CommandArgs): Promise<void> {
  const [, code, ...rest] = a.args;
  if (code && rest.length === 0) return openReviewModal(a.ctx, a.client, a.command.trigger_id, canonicalCaseCode(code));
  const input = parseReviewText(rest.join(' '));
  if (!code || !input) return a.say(t(a.ctx.locale, 'slack.msg.usage.review'));
  await a.say(await recordReviewFor(a.ctx, code, input, a.command.user_id));
}

/**
 * `/case appeal CODE`: opens the 行政复议 / 行政诉讼 modal (appeal-entry.ts). `/case appeal CODE 复议 收到=… [结果=… 审结=…]
 * [案号=…] [说明]`: the same entry as text; `复议 结果=维持 审结=…` records the result of the 复议 already recorded.
 * Both go through recordAppealFor; the staff desk then updates the card and its thread.
 */
async function recordAppeal(a: CommandArgs): Promise<void> {
  const [, code, ...rest] = a.args;
  const desk = a.ctx.desk as Partial<CaseDeskImpl>;
  if (code && rest.length === 0 && desk.recordAppeal) return openAppealModal(a.ctx, a.client, a.command.trigger_id, canonicalCaseCode(code));
  const input = parseAppealText(rest.join(' '));
  if (!code || !input || !desk.recordAppeal) return a.say(t(a.ctx.locale, 'slack.msg.usage.appeal'));
  await a.say(await recordAppealFor(a.ctx, code, input, a.command.user_id));
}

/**
 * `/case rate CODE N [方式] [YYYY-MM-DD]`: the rating of a closed case without a chat (rating-entry.ts), as the 记录评价
 * modal records it. The staff desk then updates the card and its thread.
 */
async function recordRating(a: CommandArgs): Promise<void> {
  const input = parseRateText(a.args.slice(1));
  if (!input) return a.say(t(a.ctx.locale, 'slack.msg.usage.rate'));
  try {
    await a.say(await recordRatingFor(a.ctx, input.code, input, a.command.user_id));
  } catch (error) {
    await a.say(failureText(a.ctx, input.code, error));
  }
}

export type CommandEntry = CommandHandler | Record<string, CommandHandler>;

/**
 * Registers every command of the table (plus `extra` top-level commands and
 * `/kb` subcommands): ack at once, check access, drop a copy of an invocation already
 * seen (on any instance), then run.
 */
export function registerCommands(
  app: App,
  ctx: SlackDeskContext,
  guards: Guards,
  extra: { kb?: Record<string, CommandHandler>; commands?: Record<string, CommandEntry> } = {},
): void {
  const table = { ...commandTable({ ...kbCommands, ...extra.kb }), ...extra.commands };
  for (const [name, entry] of Object.entries(table)) {
    app.command(name, async ({ ack, command, client, respond, context }) => {
      await ack();
      const words = commandWords(command.text);
      const say = async (text: string) => {
        await respond({ response_type: 'ephemeral', text });
      };
      const handler = isHandler(entry) ? entry : entry[words[0]?.toLowerCase() ?? ''];
      if (!handler) return say(t(ctx.locale, 'slack.msg.usage.sub', { command: name, subs: Object.keys(entry).join(' | ') }));
      const args = isHandler(entry) ? words : words.slice(1);
      // After the ack every step is bounded (bounded.ts): a staff check or a database that hangs gets the staff member
      // a message saying what was not done, not silence.
      const { bounds } = ctx;
      const what = t(ctx.locale, 'slack.api.whatCommand', { command: name });
      let allowed: boolean;
      try {
        allowed = handler.access === 'admin' ? guards.authz.isAdmin(command.user_id) : await within(bounds, bounds.workMs, guards.authz.isStaff(command.user_id));
      } catch (error) {
        if (!(error instanceof SlackStepHung)) throw error;
        ctx.logger.warn({ command: name, ms: error.ms }, 'slack: staff check did not answer in time; command not run');
        return say(t(ctx.locale, 'slack.api.staffCheckHung', { seconds: seconds(error.ms), what }));
      }
      if (!allowed) return say(t(ctx.locale, handler.access === 'admin' ? 'slack.msg.notAdmin' : 'slack.msg.notStaff'));
      try {
        await within(bounds, bounds.workMs, runOnce());
      } catch (error) {
        if (error instanceof SlackStepHung) {
          ctx.logger.error({ command: name, ms: error.ms }, 'slack: command did not finish in time (database or Slack not answering)');
          return say(t(ctx.locale, 'slack.api.workHung', { seconds: seconds(error.ms), what }));
        }
        ctx.logger.error({ err: error, command: name }, 'slack: command failed');
        const slackDown = slackFailureText(ctx.locale, error, String((context as { requestId?: unknown }).requestId ?? '') || '-');
        if (slackDown) return say(slackDown);
        const reason = isAppError(error) ? escapeMrkdwn(errorText(ctx.locale, error)) : t(ctx.locale, 'slack.msg.internal');
        await say(t(ctx.locale, 'slack.msg.error', { reason }));
      }

      async function runOnce(): Promise<void> {
        // One invocation, one effect: the same signed request delivered twice (a proxy retrying it on the other
        // instance, a replay) carries the same trigger_id, which Slack makes unique per invocation. After the
        // access check, as for buttons: a refused request leaves nothing behind.
        if (command.trigger_id && !(await markInboundProcessed(ctx.db, `command:${command.trigger_id}`, ctx.now()))) return;
        await handler!.run({ ctx, command, args, client, respond, say });
      }
    });
  }
}

/** Invisible characters a paste or an input method leaves in a word (zero-width space/joiners, BOM, word joiner). */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/gu;

/**
 * The words of a slash command's text. A Chinese input method in full-width mode types ２, ｍｉｎｅ, ５ or ＸＨ－…: a word
 * whose NFKC form is plain ASCII (a page number, a subcommand, a code, a rating) is taken in that form, so it parses as
 * typed in half width. Words with Chinese in them (a reason, a note) keep the punctuation staff typed. Invisible
 * characters go from every word; the ideographic space separates words like any other.
 */
export function commandWords(text: string): string[] {
  return text
    .replace(INVISIBLE, '')
    .trim()
    .split(/\s+/u)
    .filter(Boolean)
    .map((word) => {
      const folded = word.normalize('NFKC');
      return /^[\x21-\x7e]+$/.test(folded) ? folded : word;
    });
}

function isHandler(entry: CommandEntry): entry is CommandHandler {
  return typeof (entry as CommandHandler).run === 'function';
}
