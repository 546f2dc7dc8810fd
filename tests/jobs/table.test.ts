import { describe, expect, it } from 'vitest';
import { findJob, jobs, scheduleOf } from '../../jobs/index.js';
import { validateSchedule } from '../../jobs/scheduler.js';
import { parseConfig } from '../../src/config.js';

describe('job table', () => {
  it('has unique names', () => {
    const names = jobs.map((j) => j.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['daily-digest', 'deadline-reminders', 'monthly-report', 'retention-purge']);
  });

  it('has valid default schedules, equal to the config defaults', () => {
    const config = parseConfig({});
    for (const job of jobs) {
      expect(validateSchedule(job.schedule), job.name).toBe(true);
      expect(scheduleOf(job, config), job.name).toBe(job.schedule);
    }
    expect(validateSchedule('61 8 * * *')).toBe(false);
  });

  it('takes schedule overrides from the environment', () => {
    const config = parseConfig({ DIGEST_CRON: '0 8 * * *' });
    expect(scheduleOf(findJob('daily-digest')!, config)).toBe('0 8 * * *');
  });
});

describe('fireKey', () => {
  it('names a run by its minute, or its second for 6-field expressions', async () => {
    const { fireKey } = await import('../../jobs/scheduler.js');
    expect(fireKey(new Date('2026-12-01T00:30:00.457Z'), '30 8 * * *').toISOString()).toBe('2026-12-01T00:30:00.000Z');
    expect(fireKey(new Date('2026-12-01T00:30:07.457Z'), '*/5 30 8 * * *').toISOString()).toBe('2026-12-01T00:30:07.000Z');
  });
});
