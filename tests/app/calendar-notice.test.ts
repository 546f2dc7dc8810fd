import { describe, expect, it } from 'vitest';
import { createRecordingPoster } from '../../jobs/console-poster.js';
import { announceCalendarAtStart, calendarGap } from '../../src/app/calendar-notice.js';
import { createWorkCalendar } from '../../src/core/calendar/index.js';

const upTo2026 = createWorkCalendar({ source: { years: new Set([2025, 2026]), special: () => undefined } });

function recordingLogger() {
  const warnings: unknown[][] = [];
  return { warnings, warn: (...args: unknown[]) => void warnings.push(args) };
}

describe('calendar notice at start-up', () => {
  const base = { calendar: upTo2026, timeZone: 'Asia/Shanghai', warnFrom: '12-01', adminUserIds: ['UADMIN'] };

  it('warns once in the log and posts one admin notice when next year is missing (1 December, Beijing time)', async () => {
    const logger = recordingLogger();
    const poster = createRecordingPoster();
    // 2026-11-30T16:30Z is already 1 December 00:30 in Beijing.
    const status = await announceCalendarAtStart({ ...base, now: new Date('2026-11-30T16:30:00Z'), logger: logger as never, poster });
    expect(status.nextYearMissing).toBe(true);
    expect(logger.warnings).toHaveLength(1);
    expect(String(logger.warnings[0]![1])).toContain('the 2027 holiday schedule is not known');
    expect(poster.posts).toEqual([
      { text: '⚠️ 2027年放假安排尚未导入：跨入2027年的期限按法定节假日估算（未计调休）。国务院办公厅通知发布后请运行 `npm run cli -- calendar import 通知文本文件`', mentions: ['UADMIN'] },
    ]);
  });

  it('is silent on 30 November (Beijing) and once next year is known', async () => {
    const logger = recordingLogger();
    const poster = createRecordingPoster();
    await announceCalendarAtStart({ ...base, now: new Date('2026-11-30T15:59:00Z'), logger: logger as never, poster });
    const known = createWorkCalendar({ source: { years: new Set([2026, 2027]), special: () => undefined } });
    await announceCalendarAtStart({ ...base, calendar: known, now: new Date('2026-12-15T02:00:00Z'), logger: logger as never, poster });
    expect(logger.warnings).toEqual([]);
    expect(poster.posts).toEqual([]);
  });

  it('gives /healthz a live check on the injected clock, across the new year', () => {
    let now = new Date('2026-11-20T02:00:00Z');
    const gap = calendarGap({ ...base, now: () => now });
    expect(gap()).toBeNull();
    now = new Date('2026-12-31T02:00:00Z');
    expect(gap()).toBe('next year not published');
    // 2027-01-01 00:30 in Beijing (still 2026 in UTC): the year turned without its schedule.
    now = new Date('2026-12-31T16:30:00Z');
    expect(gap()).toBe('this year not published');
    now = new Date('2027-06-05T02:00:00Z'); // long before CALENDAR_WARN_FROM: still announced
    expect(gap()).toBe('this year not published');
  });

  it("announces at start-up, whatever the date, that this year's schedule is missing and every deadline is estimated", async () => {
    const logger = recordingLogger();
    const poster = createRecordingPoster();
    const status = await announceCalendarAtStart({ ...base, now: new Date('2027-06-05T02:00:00Z'), logger: logger as never, poster });
    expect(status).toMatchObject({ thisYearMissing: true, missingYear: 2027 });
    expect(String(logger.warnings[0]![1])).toContain('the 2027 holiday schedule is not known; every deadline counted now is estimated');
    expect(poster.posts).toEqual([
      {
        text: '⚠️ 2027年放假安排尚未导入：现在计算的办理期限全部按法定节假日估算（未计调休），可能与实际工作日相差数天，请人工核对临近期限的案件。国务院办公厅通知发布后请运行 `npm run cli -- calendar import 通知文本文件`',
        mentions: ['UADMIN'],
      },
    ]);
  });
});
