import type { AllMiddlewareArgs, AnyMiddlewareArgs, App, RespondFn } from '@slack/bolt';
import { t } from '../../core/i18n/index.js';
import type { Logger } from '../../logger.js';
import { escapeMrkdwn } from './mrkdwn.js';

/**
 * Requests no listener serves: a button or modal of an older release (a card posted before an
 * upgrade), a slash command configured in the Slack app but not served by this version, or a forged
 * id. Bolt leaves them unacknowledged; after 3 s it answers 404 and Slack shows the staff member a
 * bare "dispatch_failed". Instead they are acknowledged at once and explained in the user's language.
 *
 * `trackListeners` records the ids every listener is registered for (strings and regular expressions)
 * by wrapping the app's registration methods; it must run before the listeners are registered.
 * `registerUnhandledFallback` installs a global middleware that answers a request matching none.
 */
type Matcher = (id: string) => boolean;
type Kind = 'action' | 'view' | 'command' | 'options';

export interface ListenerIds {
  handles(kind: Kind, id: string): boolean;
  commands(): string[];
}

function matcherOf(constraint: unknown, key: string): Matcher {
  if (typeof constraint === 'string') return (id) => id === constraint;
  if (constraint instanceof RegExp) {
    // Made once, without g/y, so test() keeps no position between requests.
    const pattern = new RegExp(constraint.source, constraint.flags.replace(/[gy]/g, ''));
    return (id) => pattern.test(id);
  }
  const inner = (constraint as Record<string, unknown> | undefined)?.[key];
  // A constraint on other fields only (block_id, type) may match any id: count it as handling every id.
  return inner === undefined ? () => true : matcherOf(inner, key);
}

export function trackListeners(app: App): ListenerIds {
  const seen: Record<Kind, Matcher[]> = { action: [], view: [], command: [], options: [] };
  const names: string[] = [];
  const wrap = (kind: Kind, key: string) => {
    const target = app as unknown as Record<Kind, (...args: unknown[]) => unknown>;
    const original = target[kind].bind(app);
    target[kind] = (...args: unknown[]) => {
      seen[kind].push(matcherOf(args[0], key));
      if (kind === 'command' && typeof args[0] === 'string') names.push(args[0]);
      return original(...args);
    };
  };
  wrap('action', 'action_id');
  wrap('view', 'callback_id');
  wrap('command', 'command');
  wrap('options', 'action_id');
  return {
    handles: (kind, id) => seen[kind].some((m) => m(id)),
    commands: () => [...names].sort(),
  };
}

interface Deps {
  ids: ListenerIds;
  locale: 'zh' | 'en';
  staffChannel: string;
  logger: Logger;
}

type Body = {
  type?: string;
  command?: string;
  user?: { id?: string };
  user_id?: string;
  response_url?: string;
  actions?: { action_id?: string }[];
  action_id?: string;
  view?: { callback_id?: string };
};

export function registerUnhandledFallback(app: App, deps: Deps): void {
  const l = deps.locale;
  app.use(async (args: AnyMiddlewareArgs & AllMiddlewareArgs) => {
    const body = args.body as Body;
    const { ack, respond } = args as { ack?: (response?: unknown) => Promise<void>; respond?: RespondFn };
    const unknown = unknownRequest(body, deps.ids);
    if (!unknown || !ack) return args.next();
    deps.logger.warn({ kind: unknown.kind, id: unknown.id }, 'slack: request for no listener (an older card, modal or command) answered');
    if (unknown.kind === 'command') {
      const list = deps.ids.commands().map((c) => `\`${c}\``).join('、');
      return ack({ response_type: 'ephemeral', text: t(l, 'slack.msg.unknownCommand', { command: escapeMrkdwn(unknown.id), commands: list }) });
    }
    if (unknown.kind === 'options') return ack({ options: [] });
    await ack();
    if (body.type === 'view_closed') return;
    const text = t(l, unknown.kind === 'view' ? 'slack.msg.staleView' : 'slack.msg.staleButton');
    const user = body.user?.id ?? body.user_id;
    if (body.response_url && respond) await respond({ response_type: 'ephemeral', replace_original: false, text });
    else if (user) await args.client.chat.postEphemeral({ channel: deps.staffChannel, user, text });
  });
}

function unknownRequest(body: Body, ids: ListenerIds): { kind: Kind; id: string } | null {
  const check = (kind: Kind, id: string | undefined) => (id !== undefined && !ids.handles(kind, id) ? { kind, id } : null);
  if (typeof body.command === 'string') return check('command', body.command);
  if (body.type === 'block_actions') return check('action', body.actions?.[0]?.action_id ?? '');
  if (body.type === 'view_submission' || body.type === 'view_closed') return check('view', body.view?.callback_id ?? '');
  if (body.type === 'block_suggestion') return check('options', body.action_id ?? '');
  return null;
}
