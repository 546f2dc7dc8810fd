import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { Db } from '../storage/db.js';
import { pingDb } from '../storage/ops-repo.js';

export type ChannelStatus = 'connected' | 'disabled' | 'down';

export interface HealthSources {
  db: Db;
  metrics: Registry;
  /** Entries in the live knowledge index (0 = nothing loaded). */
  knowledgeEntries: () => number;
  channels: () => Record<string, ChannelStatus>;
  /** This instance and the others alive on the same database. */
  instance?: { name: string; peers(): Promise<string[]> };
  /** Whether next year's holiday schedule is missing now (src/core/calendar/status.ts); absent = not checked. */
  calendarNextYearMissing?: () => boolean;
}

export interface Route {
  path: string;
  method: 'GET' | 'POST';
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

/**
 * GET /healthz (JSON, 200 when the database answers and knowledge is loaded,
 * else 503; `calendar: "next year not published"` marks it degraded with 200) and GET /metrics (Prometheus text). The shape fits Bolt's
 * `customRoutes` and the plain server of `startHttpServer`.
 */
export function opsRoutes(sources: HealthSources): Route[] {
  return [
    {
      path: '/healthz',
      method: 'GET',
      handler: async (_req, res) => {
        const database = await pingDb(sources.db);
        const entries = sources.knowledgeEntries();
        const channels = sources.channels();
        // A missing next-year calendar degrades (deadlines are estimated) but is no outage: still HTTP 200.
        const calendarMissing = sources.calendarNextYearMissing?.() ?? false;
        const ok = database && entries > 0 && !Object.values(channels).includes('down') && !calendarMissing;
        const peers = database && sources.instance ? await sources.instance.peers().catch(() => null) : null;
        const body = {
          status: ok ? 'ok' : 'degraded',
          ...(sources.instance ? { instance: sources.instance.name, instances: peers } : {}),
          database: { reachable: database },
          knowledge: { loaded: entries > 0, entries },
          channels,
          calendar: calendarMissing ? 'next year not published' : 'ok',
        };
        res.writeHead(database && entries > 0 ? 200 : 503, { 'content-type': 'application/json; charset=utf-8' });
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
