import type { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import type { Db } from '../../storage/db.js';
import { listRecentCaseMessages } from '../../storage/slack-repo.js';

export interface CaseLinks {
  /** Permalink of the case's staff-channel message, or null when unknown. */
  link(code: string): string | null;
  refresh(): Promise<void>;
  start(intervalMs?: number): Promise<void>;
  stop(): void;
}

/** Slack's permalink form: https://TEAM.slack.com/archives/CHANNEL/pTSWITHOUTDOT */
export function permalink(workspaceUrl: string, channel: string, ts: string): string {
  return `${workspaceUrl.replace(/\/?$/, '/')}archives/${channel}/p${ts.replace('.', '')}`;
}

/**
 * Links from digests and reminders to each case's message in the staff channel.
 * Jobs need them synchronously while rendering, so the links of open and
 * recently closed cases are kept in memory and refreshed every minute.
 */
export function createCaseLinks(deps: { db: Db; client: webApi.WebClient; logger: Logger; now?: () => Date }): CaseLinks {
  const links = new Map<string, string>();
  let workspaceUrl: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  const now = deps.now ?? (() => new Date());
  const refresh = async () => {
    if (!workspaceUrl) {
      const auth = await deps.client.auth.test();
      workspaceUrl = typeof auth.url === 'string' ? auth.url : null;
      if (!workspaceUrl) return;
    }
    const since = new Date(now().getTime() - 7 * 86_400_000);
    const rows = await listRecentCaseMessages(deps.db, since);
    links.clear();
    for (const row of rows) links.set(row.caseCode, permalink(workspaceUrl, row.channel, row.ts));
  };
  const safeRefresh = () => refresh().catch((err: unknown) => deps.logger.warn({ err }, 'slack: could not refresh case links'));
  return {
    link: (code) => links.get(code) ?? null,
    refresh,
    async start(intervalMs = 60_000) {
      await safeRefresh();
      timer = setInterval(() => void safeRefresh(), intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
  };
}
