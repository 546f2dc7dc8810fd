import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema, parseConfig } from '../../src/config.js';

describe('parseConfig', () => {
  it('runs with no variables at all, with documented defaults', () => {
    const config = parseConfig({});
    expect(config.DATABASE_PATH).toBe('data/civicdesk.db');
    expect(config.KNOWLEDGE_DIR).toBe('knowledge');
    expect(config.TIMEZONE).toBe('Asia/Shanghai');
    expect(config.CASE_PREFIX).toBe('XH');
    expect(config.PORT).toBe(3000);
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('names every bad variable, what is allowed and what it got', () => {
    expect(() => parseConfig({ PORT: 'abc', TIMEZONE: 'Mars/Base', TELEGRAM_WEBHOOK_SECRET: 'has space' })).toThrow(
      [
        'Invalid configuration:',
        '  TIMEZONE: must be an IANA time zone such as Asia/Shanghai (got "Mars/Base")',
        '  PORT: must be an integer from 0 to 65535 (got "abc")',
        '  TELEGRAM_WEBHOOK_SECRET: must be 1 to 256 characters of A-Z, a-z, 0-9, _ and - (got a value of 9 characters, not shown)',
      ].join('\n'),
    );
  });

  it('requires a webhook secret with a webhook URL and a staff channel with a Slack token', () => {
    expect(() => parseConfig({ TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/tg' })).toThrow(
      'TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set',
    );
    expect(() => parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toThrow(
      'SLACK_STAFF_CHANNEL: required when SLACK_BOT_TOKEN is set',
    );
  });

  it('refuses a case retention inside the window in which a parent may still object to a closed case', () => {
    expect(() => parseConfig({ RETENTION_CASE_DAYS: '10' })).toThrow(
      'RETENTION_CASE_DAYS: must be more than REOPEN_DAYS (15): a closed case would be anonymised while the parent may still ask to reopen it',
    );
    expect(parseConfig({ RETENTION_CASE_DAYS: '10', REOPEN_DAYS: '7' }).RETENTION_CASE_DAYS).toBe(10);
  });

  it('refuses OFFICE_HOURS that end before they start (review 18b M2)', () => {
    expect(() => parseConfig({ OFFICE_HOURS: '17:00-08:30' })).toThrow('OFFICE_HOURS: must end after it starts on the same day, e.g. 08:30-17:00 (got "17:00-08:30")');
    expect(parseConfig({ OFFICE_HOURS: '08:00-18:00' }).OFFICE_HOURS).toBe('08:00-18:00');
  });

  it('keeps the polling-lock retry short enough that a dead poller is replaced within 30 s', () => {
    expect(parseConfig({}).POLL_LOCK_RETRY_MS).toBe(5_000);
    expect(parseConfig({ POLL_LOCK_RETRY_MS: '20000' }).POLL_LOCK_RETRY_MS).toBe(20_000);
    expect(() => parseConfig({ POLL_LOCK_RETRY_MS: '30000' })).toThrow('POLL_LOCK_RETRY_MS: must be an integer from 100 to 20000 (got "30000")');
  });

  it('refuses at start what would only fail later: a channel name, user names, a malformed bot token, a cron field out of range', () => {
    let message = '';
    try {
      parseConfig({
        SLACK_STAFF_CHANNEL: '#staff',
        SLACK_STAFF_USER_IDS: 'U0123ABCD, @wangli',
        TELEGRAM_BOT_TOKEN: 'AAHfake-token-without-id',
        DATABASE_URL: 'mysql://civicdesk:hunter2@db/civicdesk',
        DIGEST_CRON: '99 99 * * *',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      '  DATABASE_URL: must be a PostgreSQL URL such as postgres://civicdesk:secret@db.example:5432/civicdesk (got a value of 38 characters, not shown)',
      '  TELEGRAM_BOT_TOKEN: must be the token @BotFather gave, such as 123456789:AAH…(digits, a colon, then letters) (got a value of 24 characters, not shown)',
      '  SLACK_STAFF_CHANNEL: must be a channel id such as C0123456789 (channel details → About), not its #name (got "#staff")',
      '  SLACK_STAFF_USER_IDS: must be Slack user ids such as U0123456789 (profile → ⋮ → Copy member ID), not names (got "U0123ABCD, @wangli")',
      '  DIGEST_CRON: must be a cron expression of 5 or 6 fields (minute 0-59, hour 0-23, day, month, weekday), e.g. "30 8 * * *" (got "99 99 * * *")',
    ]);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('AAHfake');
  });

  it('treats empty values as unset and splits id lists', () => {
    const config = parseConfig({ PORT: '', SLACK_ADMIN_USER_IDS: 'U1, U2,U3' });
    expect(config.PORT).toBe(3000);
    expect(config.SLACK_ADMIN_USER_IDS).toEqual(['U1', 'U2', 'U3']);
  });

  it('.env.example documents every variable of the schema, each with a comment', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const lines = example.split('\n');
    for (const name of Object.keys(configSchema.shape)) {
      const at = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(at, `${name} missing from .env.example`).toBeGreaterThan(0);
      expect(lines[at - 1]?.startsWith('#'), `${name} has no comment above it`).toBe(true);
    }
    // The example itself must be a valid configuration.
    const values = Object.fromEntries(
      lines.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(() => parseConfig(values)).not.toThrow();
  });

  it('names a value pasted with quotes or spaces around it, a secret without showing it (audit 19)', () => {
    const lines = (env: Record<string, string>) => {
      try {
        parseConfig(env);
        return [];
      } catch (error) {
        return (error as Error).message.split('\n').slice(1).map((l) => l.trim());
      }
    };
    expect(lines({ TIMEZONE: '"Asia/Shanghai"', TELEGRAM_BOT_TOKEN: '123456:AAHabc\n', SLACK_SIGNING_SECRET: "'0123abcd'", PORT: ' 3000' })).toEqual([
      'TIMEZONE: remove the quotes around the value (got "\\"Asia/Shanghai\\"")',
      'PORT: remove the spaces or line break before or after the value (got " 3000")',
      'TELEGRAM_BOT_TOKEN: remove the spaces or line break before or after the value (got a value of 14 characters, not shown)',
      'SLACK_SIGNING_SECRET: remove the quotes around the value (got a value of 10 characters, not shown)',
    ]);
  });

  it('refuses numbers that are not plain decimals, URLs that are not http(s), malformed Slack tokens, and says the allowed words (audit 19)', () => {
    const first = (env: Record<string, string>) => {
      try {
        parseConfig(env);
        return 'accepted';
      } catch (error) {
        return (error as Error).message.split('\n')[1]!.trim();
      }
    };
    expect(first({ PORT: '0x10' })).toBe('PORT: must be an integer from 0 to 65535 (got "0x10")');
    expect(first({ PORT: '1e3' })).toBe('PORT: must be an integer from 0 to 65535 (got "1e3")');
    expect(first({ REOPEN_DAYS: '15天' })).toBe('REOPEN_DAYS: must be an integer from 0 to 365 (got "15天")');
    expect(first({ TELEGRAM_API_ROOT: 'localhost:8081' })).toBe('TELEGRAM_API_ROOT: must be an http(s) URL such as https://example.org/path (got "localhost:8081")');
    expect(first({ SLACK_API_URL: 'ftp://slack.example/api' })).toBe('SLACK_API_URL: must be an http(s) URL such as https://example.org/path (got "ftp://slack.example/api")');
    expect(first({ SLACK_BOT_TOKEN: 'xoxp-123-user-token', SLACK_SIGNING_SECRET: 'abc', SLACK_STAFF_CHANNEL: 'C1' })).toBe(
      'SLACK_BOT_TOKEN: must be the Bot User OAuth Token, starting xoxb- (Slack app → OAuth & Permissions) (got a value of 19 characters, not shown)',
    );
    expect(first({ SLACK_APP_TOKEN: 'xoxb-123' })).toBe(
      'SLACK_APP_TOKEN: must be the App-Level Token, starting xapp- (Slack app → Basic Information → App-Level Tokens) (got a value of 8 characters, not shown)',
    );
    expect(first({ LOG_LEVEL: 'INFO' })).toBe('LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "INFO")');
    expect(first({ JOBS_ENABLED: '1' })).toBe('JOBS_ENABLED: must be one of true, false (got "1")');
    expect(first({ DIGEST_CRON: '8:30' })).toBe(
      'DIGEST_CRON: must be a cron expression of 5 or 6 fields (minute 0-59, hour 0-23, day, month, weekday), e.g. "30 8 * * *" (got "8:30")',
    );
    expect(first({ PORT: '8080', WEB_CHAT_TRUST_PROXY: 'true', LOG_LEVEL: 'debug' })).toBe('accepted');
  });
});
