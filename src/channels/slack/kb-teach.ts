import type { App, BlockButtonAction, BlockStaticSelectAction, RespondFn, types } from '@slack/bolt';
import { z } from 'zod';
import { isAppError } from '../../core/errors.js';
import type { GapGroup } from '../../core/gaps/types.js';
import { teachGap } from '../../core/gaps/teach.js';
import { t } from '../../core/i18n/index.js';
import type { Locale } from '../../core/types.js';
import { recordAudit } from '../../storage/audit-repo.js';
import { markInboundProcessed } from '../../storage/slack-repo.js';
import type { StaffAuthz } from './authz.js';
import { actorOf } from './guard.js';
import { citizenText, escapeMrkdwn, truncate } from './mrkdwn.js';
import type { SlackDeskContext, SlackKnowledge } from './types.js';

/**
 * "归入…" in `/kb gaps`: one select per open group listing the entries (the entry the parents chose
 * from "您是不是想问" first, marked ★, then the group's best match), and for a group with such a choice a
 * one-click button "归入「TITLE」". Picking one appends the group's wording to that entry's `questions` (a one-line diff),
 * reloads the knowledge base and marks the group resolved — the CLI's `kb teach --key`.
 */
export const TEACH_ACTION = 'kb_teach';
/** The one-click button "归入「TITLE」" under a group whose parents chose an entry from "您是不是想问". */
export const TEACH_CHOSEN_ACTION = 'kb_teach_chosen';
/** Slack allows 100 options per select; the picker message keeps within 50 blocks. */
const MAX_OPTIONS = 100;
const MAX_GROUPS = 10;

const valueSchema = z.string().regex(/^([\w-]{1,64})\|([a-z0-9-]{1,80})\|(\d{1,4})$/);

export function teachPickerBlocks(groups: readonly GapGroup[], entries: readonly { id: string; title: string }[], l: Locale, days: number): types.KnownBlock[] {
  const open = groups.filter((g) => g.status === 'open').slice(0, MAX_GROUPS);
  if (open.length === 0 || entries.length === 0) return [];
  const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: t(l, 'slackKb.teachHeading') } }];
  for (const g of open) {
    // The entry the parents themselves chose (and did not mark 👎) leads, then the best match, then by title.
    const chosen = g.parentChoice && g.parentChoice.helped > 0 ? entries.find((e) => e.id === g.parentChoice!.entryId) : undefined;
    const rank = (e: { id: string }) => (e.id === chosen?.id ? 2 : e.id === g.bestMatch?.id ? 1 : 0);
    const ordered = [...entries].sort((a, b) => rank(b) - rank(a) || a.title.localeCompare(b.title, 'zh'));
    const label = (e: { id: string; title: string }) =>
      e.id === chosen?.id ? t(l, 'slackKb.teachChosenOption', { title: e.title, id: e.id }) : `${e.title} (${e.id})`;
    const options = ordered
      .map((e) => ({ e, value: `${g.key}|${e.id}|${days}` }))
      .filter(({ value }) => value.length <= 150)
      .slice(0, MAX_OPTIONS)
      .map(({ e, value }) => ({ text: { type: 'plain_text' as const, text: truncate(label(e), 75) }, value }));
    const text = t(l, 'slackKb.teachGroup', { count: g.count, text: citizenText(g.representative, 200) });
    blocks.push({
      type: 'section',
      block_id: `teach:${g.key}`,
      text: { type: 'mrkdwn', text: chosen ? `${text}${t(l, 'slackKb.teachChosen', { title: escapeMrkdwn(chosen.title) })}` : text },
      accessory: { type: 'static_select', action_id: TEACH_ACTION, placeholder: { type: 'plain_text', text: t(l, 'slackKb.teachPlaceholder') }, options },
    });
    const value = chosen ? `${g.key}|${chosen.id}|${days}` : '';
    if (chosen && value.length <= 150)
      blocks.push({
        type: 'actions',
        block_id: `teach-chosen:${g.key}`,
        elements: [
          { type: 'button', action_id: TEACH_CHOSEN_ACTION, style: 'primary', value, text: { type: 'plain_text', text: truncate(t(l, 'slackKb.teachChosenButton', { title: chosen.title }), 75) } },
        ],
      });
  }
  return blocks;
}

/** Sends the picker as one more ephemeral message when the gaps list left a response_url use. */
export async function respondTeachPicker(respond: RespondFn, blocks: types.KnownBlock[], l: Locale): Promise<void> {
  if (blocks.length > 0) await respond({ response_type: 'ephemeral', replace_original: false, text: t(l, 'slackKb.teachPlaceholder'), blocks });
}

export function registerKbTeachAction(app: App, ctx: SlackDeskContext, authz: StaffAuthz, knowledge: SlackKnowledge): void {
  const l = ctx.locale;
  app.action<BlockStaticSelectAction>(TEACH_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    await teach(respond, body.user.id, action.action_ts, action.selected_option?.value ?? '');
  });
  app.action<BlockButtonAction>(TEACH_CHOSEN_ACTION, async ({ ack, body, action, respond }) => {
    await ack();
    await teach(respond, body.user.id, action.action_ts, action.value ?? '');
  });

  async function teach(respond: RespondFn, user: string, actionTs: string, rawValue: string): Promise<void> {
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text }).then(() => undefined);
    if (!authz.isAdmin(user)) return say(t(l, 'slack.msg.notAdmin'));
    if (!(await markInboundProcessed(ctx.db, `action:${user}:${actionTs}`, ctx.now()))) return;
    const parsed = valueSchema.safeParse(rawValue);
    if (!parsed.success || !knowledge.entryFiles) return say(t(l, 'slackKb.usageGaps'));
    const [, key, entryId, days] = /^(.+)\|(.+)\|(\d+)$/.exec(parsed.data)!;
    const now = ctx.now();
    const actor = actorOf(user);
    try {
      const result = await teachGap(ctx.db, {
        key: key!,
        entryId: entryId!,
        actor,
        since: new Date(now.getTime() - Number(days) * 86_400_000),
        now,
        ...(knowledge.normalize ? { normalize: knowledge.normalize } : {}),
        entries: knowledge.entryFiles(),
        reload: () => knowledge.reload(),
        entryQuestions: (id) => knowledge.entryFiles?.().find((e) => e.id === id)?.questions,
      });
      await recordAudit(ctx.db, { actor, action: 'kb.gaps.resolved', subject: key!, detail: entryId, at: now });
      const vars = { text: citizenText(result.edit.question, 200), entry: escapeMrkdwn(result.entry.id), key: key! };
      if (!result.edit.added) return say(t(l, 'slackKb.taughtAlready', vars));
      const file = result.entry.path.split(/[\\/]/).slice(-2).join('/');
      const leftOut = result.edit.leftOut;
      const note = leftOut
        ? `\n${t(l, 'slackKb.taughtLeftOut', { parts: leftOut.parts, kinds: leftOut.kinds.map((k) => t(l, `slackKb.detail.${k}`)).join(l === 'zh' ? '、' : ', ') })}`
        : '';
      await say(`${t(l, 'slackKb.taught', { ...vars, title: escapeMrkdwn(result.entry.title), file: escapeMrkdwn(file), entries: knowledge.entries().length })}${note}`);
    } catch (error) {
      if (!isAppError(error, 'cli_usage') && !isAppError(error, 'kb_teach')) throw error;
      await say(t(l, 'slackKb.teachFailed', { reason: escapeMrkdwn((error as Error).message) }));
    }
  }
}
