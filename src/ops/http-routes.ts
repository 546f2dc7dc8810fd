import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Db } from '../storage/db.js';
import { hostname } from 'node:os';
import { pingDb, writeHeartbeat } from '../storage/ops-repo.js';
import { erasureProblem } from '../storage/erased-bytes.js';
import { failedJobRuns } from '../storage/jobs-repo.js';
import type { StorageCondition } from '../storage/storage-health.js';

export type ChannelStatus = 'connected' | 'disabled' | 'down';

export interface HealthSources {
  db: Db;
  metrics: Registry;
  /** Entries in the live knowledge index (0 = nothing loaded). */
  knowledgeEntries: () => number;
  channels: () => Record<string, ChannelStatus>;
  /** This instance (`owner`: its row in `instances`) and the others alive on the same database. */
  instance?: { name: string; owner: string; peers(): Promise<string[]>; fileProblem?(): string | null };
  /** Which holiday schedule is missing now (src/core/calendar/status.ts): 'this year not published' / 'next year not published', null when none; absent = not checked. */
  calendarGap?: () => string | null;
  /** Why a channel's outgoing messages fail right now (e.g. slack: "not_in_channel: invite the bot…"); null/absent = none. */
  channelProblems?: () => Record<string, string | null>;
}

export type RouteMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface Route {
  path: string;
  method: RouteMethod;
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
  /** A response that stays open (Server-Sent Events): no HEAD twin, whose answer would never end. */
  stream?: boolean;
}

/**
 * `database` in /healthz: "ok" when this instance's heartbeat (its row in `instances`) could be written,
 * "unreachable" when not even a read works, else why writes fail
 * ("read-only", "disk full", "locked", "error"); /healthz also says "file replaced" (see Db.keepFile).
 */
export async function databaseStatus(
  db: Db,
  now: Date = new Date(),
  owner = `${hostname()}:${process.pid}`,
): Promise<'ok' | 'unreachable' | StorageCondition> {
  if (!(await pingDb(db))) return 'unreachable';
  return (await writeHeartbeat(db, owner, now)) ?? 'ok';
}

/**
 * GET /healthz (JSON, 200 when the database takes a write and knowledge is
 * loaded, else 503; `calendar: "next year not published"`, `problems` (a channel's
 * sends failing), `erasure` (erased data not yet cleared from the database files) and `jobs` (a scheduled job whose
 * latest run failed) mark it degraded with 200) and GET /metrics (Prometheus text). The shape fits Bolt's
 * `customRoutes` and the plain server of `startHttpServer`.
 */
export function opsRoutes(sources: HealthSources): Route[] {
  return [
    {
      path: '/healthz',
      method: 'GET',
      handler: async (_req, res) => {
        const database = sources.instance?.fileProblem?.() ?? (await databaseStatus(sources.db, new Date(), sources.instance?.owner));
        const entries = sources.knowledgeEntries();
        const channels = sources.channels();
        const serving = database === 'ok' && entries > 0;
        // A missing holiday schedule degrades (deadlines are estimated) but is no outage: still HTTP 200.
        const calendarMissing = sources.calendarGap?.() ?? null;
        const problems = Object.fromEntries(Object.entries(sources.channelProblems?.() ?? {}).filter(([, v]) => v));
        const failing = Object.keys(problems).length > 0;
        // A channel that cannot deliver degrades (messages wait in the outbox) but the bot still serves: HTTP 200.
        // Erased data still in the database files (PostgreSQL role may not VACUUM FULL, a table kept busy): degraded,
        // still serving. Read from the database: any instance's erase or purge may have left the mark.
        const erasure = database === 'ok' ? await erasureProblem(sources.db).catch(() => null) : null;
        // A scheduled job whose latest run failed (Slack down when the monthly report posted): degraded until a retry works.
        const jobs = database === 'ok' ? await failedJobRuns(sources.db).catch(() => ({})) : {};
        const jobsFailing = Object.keys(jobs).length > 0;
        const ok = serving && !Object.values(channels).includes('down') && !calendarMissing && !failing && !erasure && !jobsFailing;
        const peers = database === 'ok' && sources.instance ? await sources.instance.peers().catch(() => null) : null;
        const body = {
          status: ok ? 'ok' : 'degraded',
          ...(sources.instance ? { instance: sources.instance.name, instances: peers } : {}),
          database,
          knowledge: { loaded: entries > 0, entries },
          channels,
          ...(failing ? { problems } : {}),
          calendar: calendarMissing ?? 'ok',
          ...(erasure ? { erasure } : {}),
          ...(jobsFailing ? { jobs } : {}),
        };
        res.writeHead(serving ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      },
    },
    {
      path: '/metrics',
      method: 'GET',
      handler: async (_req, res) => {
        const text = await sources.metrics.metrics();
        res.writeHead(200, { 'content-type': sources.metrics.contentType });
        res.end(text);
      },
    },
  ];
}
