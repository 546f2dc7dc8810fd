import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../storage/db.js';
import { writeFailureCounts } from '../storage/storage-health.js';
import { caseCountsByState, jobRunCounts, messageCounts, outboxDepth } from '../storage/ops-repo.js';

/**
 * Prometheus metrics. Business figures are read from SQLite at scrape time,
 * so they survive restarts and every module stays free of metric plumbing.
 */
export function createMetrics(db: Db): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'civicdesk_' });

  new Gauge({
    name: 'civicdesk_messages',
    help: 'Citizen messages decided by the engine, by intent and whether a knowledge answer was given',
    labelNames: ['intent', 'answered'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await messageCounts(db)) this.set({ intent: row.intent, answered: String(row.answered === 1) }, row.count);
    },
  });
  new Gauge({
    name: 'civicdesk_refusals',
    help: 'Knowledge questions the bot could not answer',
    registers: [registry],
    async collect() {
      const rows = await messageCounts(db);
      this.set(rows.filter((r) => r.intent === 'kb' && r.answered === 0).reduce((n, r) => n + r.count, 0));
    },
  });
  new Gauge({
    name: 'civicdesk_cases',
    help: 'Cases by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await caseCountsByState(db)) this.set({ state: row.state }, row.count);
    },
  });
  new Gauge({
    name: 'civicdesk_outbox_depth',
    help: 'Outgoing messages waiting to be sent, by target',
    labelNames: ['target'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await outboxDepth(db)) this.set({ target: row.target }, row.count);
    },
  });
  new Gauge({
    name: 'civicdesk_job_runs',
    help: 'Scheduled job runs by job and status',
    labelNames: ['job', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await jobRunCounts(db)) this.set({ job: row.job, status: row.status }, row.count);
    },
  });
  new Counter({
    name: 'civicdesk_storage_write_failures_total',
    help: 'Database writes that failed since start, by condition (read-only, disk full, locked, error)',
    labelNames: ['condition'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [condition, count] of writeFailureCounts()) this.inc({ condition }, count);
    },
  });
  return registry;
}
