import { Writable } from 'node:stream';
import { describe, expect, it, vi, afterEach } from 'vitest';
import { createLogger, formatLogTime } from '../../src/logger.js';

/**
 * Readable log lines (LOG_FORMAT=pretty) carry the bureau's TIMEZONE time with its offset, as every other time the
 * operator reads does — not the server's zone (often UTC).
 */
afterEach(() => {
  vi.useRealTimers();
});

const AT = Date.UTC(2026, 11, 7, 14, 53, 38, 746);

describe('log line times', () => {
  it('formats an instant in the given zone with its offset', () => {
    expect(formatLogTime(AT, 'Asia/Shanghai')).toBe('2026-12-07 22:53:38.746 +0800');
    expect(formatLogTime(AT, 'UTC')).toBe('2026-12-07 14:53:38.746 +0000');
  });

  it('a pretty log line shows the time in TIMEZONE', async () => {
    vi.useFakeTimers({ now: AT, toFake: ['Date'] });
    const lines: string[] = [];
    const destination = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    createLogger({ level: 'info', format: 'pretty', timeZone: 'Asia/Shanghai', destination }).warn('calendar: the 2027 holiday schedule is not known');
    await vi.waitFor(() => expect(lines.join('')).toContain('calendar'));
    expect(lines.join('')).toMatch(/^\[2026-12-07 22:53:38\.746 \+0800\] WARN.*calendar: the 2027 holiday schedule is not known/);
  });
});
