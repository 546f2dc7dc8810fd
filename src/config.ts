import { hostname } from 'node:os';
import nodeCron from 'node-cron';
import { z } from 'zod';
import { AppError } from './core/errors.js';

/**
 * Every environment variable CivicDesk reads, validated once at start-up by
 * `parseConfig(process.env)`. No other module reads `process.env`.
 * Keep `.env.example` in step with this schema (a test checks it).
 */

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/** Slack user ids (U… or W…), comma- or space-separated; a name or an @mention is refused (ids are what Slack sends). */
const idList = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((s) => (s ? s.split(/[\s,]+/).filter(Boolean) : []))
    .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'must be Slack user ids such as U0123456789 (profile → ⋮ → Copy member ID), not names'))),
);
/** Decimal digits only: Number() would also take "0x10", "1e3" or "3000.5" for a port or a day count. */
const decimal = (v: unknown) => (typeof v === 'string' ? (/^-?\d+$/.test(v) ? Number(v) : Number.NaN) : v);
const intIn = (min: number, max: number, def: number) =>
  z.preprocess(
    (v) => decimal(emptyToUndefined(v)),
    z
      .number({ message: `must be an integer from ${min} to ${max}` })
      .int(`must be an integer from ${min} to ${max}`)
      .min(min, `must be an integer from ${min} to ${max}`)
      .max(max, `must be an integer from ${min} to ${max}`)
      .default(def),
  );
/** One of a few words, said as such ("must be one of info, debug, …") instead of the schema library's wording. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T, def: T[number]) =>
  z.preprocess(emptyToUndefined, z.enum(values, { message: `must be one of ${values.join(', ')}` }).default(def as never));
// Only http(s): these are where the bot sends requests or links (a bare "localhost:8081" parses as scheme "localhost:").
const url = z.preprocess(
  emptyToUndefined,
  z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://example.org/path' }).optional(),
);
const cron = (def: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      // Fields out of range ("99 99 * * *") are refused here, naming the variable, not later by the scheduler.
      .refine(
        (expression) => /^(\S+\s+){4,5}\S+$/.test(expression) && nodeCron.validate(expression),
        'must be a cron expression of 5 or 6 fields (minute 0-59, hour 0-23, day, month, weekday), e.g. "30 8 * * *"',
      )
      .default(def),
  );
const hhmmRange = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;

export const configSchema = z.object({
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  LOG_FORMAT: oneOf(['json', 'pretty'], 'pretty'),
  LOG_FILE: z.preprocess(emptyToUndefined, z.string().optional()),
  DEFAULT_LOCALE: oneOf(['zh', 'en'], 'zh'),
  /**
   * The language of every staff-facing text (Slack, the staff console, the jobs' posts, the CLI's staff outputs):
   * zh-CN (Simplified Chinese) or en. Parents keep their own language (DEFAULT_LOCALE, or the chat's choice).
   * "zh" is taken for zh-CN, as DEFAULT_LOCALE writes it.
   */
  STAFF_LOCALE: z.preprocess(
    emptyToUndefined,
    z
      .enum(['zh-CN', 'zh', 'en'], { message: 'must be zh-CN (Simplified Chinese, the default) or en (English)' })
      .default('zh-CN')
      .transform((v): 'zh' | 'en' => (v === 'en' ? 'en' : 'zh')),
  ),
  TIMEZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('Asia/Shanghai')
      .refine((tz) => isValidTimeZone(tz), 'must be an IANA time zone such as Asia/Shanghai'),
  ),
  DATABASE_PATH: z.preprocess(emptyToUndefined, z.string().default('data/civicdesk.db')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a PostgreSQL URL such as postgres://civicdesk:secret@db.example:5432/civicdesk')
      .optional(),
  ),
  INSTANCE_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes, underscores or colons, e.g. web-1')
      .optional(),
  ),
  /**
   * PostgreSQL, Telegram long polling: how often an instance that does not poll asks for the polling lock. It bounds
   * the takeover after the poller dies, which must stay within 30 s (issue 19): hence at most 20 s, leaving room for
   * the server to notice a vanished machine's connection (docs/DEPLOY.md §10, TCP keepalives).
   */
  POLL_LOCK_RETRY_MS: intIn(100, 20_000, 5_000),
  /** SIGTERM/SIGINT: the longest the drain may take before the process exits anyway (code 1, naming the stuck step). */
  SHUTDOWN_TIMEOUT_MS: intIn(1_000, 600_000, 20_000),
  KNOWLEDGE_DIR: z.preprocess(emptyToUndefined, z.string().default('knowledge')),
  INTENTS_DIR: z.preprocess(emptyToUndefined, z.string().default('intents')),
  BUREAU_NAME: z.preprocess(emptyToUndefined, z.string().default('本溪市溪湖区教育局')),
  BUREAU_PHONE: z.preprocess(emptyToUndefined, z.string().default('024-42842001')),
  /**
   * The 上一级行政机关 a petitioner asks for 复查 of the bureau's written reply (《信访条例》第三十四条): named in the
   * closing answer of every 信访 case, and the default 复查机关 when staff record a 复查 decision.
   */
  BUREAU_SUPERIOR: z.preprocess(emptyToUndefined, z.string().trim().min(2).max(60).default('本溪市教育局')),
  /** The 行政复议机关 named in a disclosure answer's 救济途径 (行政复议法 第二十四条: the 本级人民政府 of a 工作部门). */
  BUREAU_APPEAL_BODY: z.preprocess(emptyToUndefined, z.string().trim().min(2).max(60).default('本溪市溪湖区人民政府')),
  /** The bureau's district or county, city and province as GB/T 2260 names them: a message about another place is declined. */
  BUREAU_AREA: z.preprocess(emptyToUndefined, z.string().trim().min(2).default('溪湖区')),
  BUREAU_CITY: z.preprocess(emptyToUndefined, z.string().trim().min(2).default('本溪市')),
  BUREAU_PROVINCE: z.preprocess(emptyToUndefined, z.string().trim().min(2).default('辽宁省')),
  CASE_PREFIX: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[A-Z]{1,6}$/, 'must be 1 to 6 capital letters, e.g. XH').default('XH'),
  ),
  OFFICE_HOURS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(hhmmRange, 'must be HH:MM-HH:MM, e.g. 08:30-17:00')
      // An overnight window is not supported: "17:00-08:30" would make every hour "outside office hours".
      .refine((v) => !hhmmRange.test(v) || v.slice(0, 5) < v.slice(6), 'must end after it starts on the same day, e.g. 08:30-17:00')
      .default('08:30-17:00'),
  ),
  REOPEN_DAYS: intIn(0, 365, 15),
  HANDOFF_CONTEXT_MESSAGES: intIn(0, 50, 10),
  RETENTION_MESSAGE_DAYS: intIn(1, 3650, 90),
  RETENTION_CASE_DAYS: intIn(1, 3650, 1095),
  RETENTION_CONVERSATION_DAYS: intIn(1, 3650, 30),
  // 0: the OS picks a free port, logged at start (tests: no port another process may take meanwhile).
  PORT: intIn(0, 65535, 3000),

  TELEGRAM_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, 'must be the token @BotFather gave, such as 123456789:AAH…(digits, a colon, then letters)')
      .optional(),
  ),
  TELEGRAM_API_ROOT: url,
  TELEGRAM_WEBHOOK_URL: url,
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
  ),
  /** Telegram's global send cap (30 messages/s; raise only if Telegram raised it for the bot, e.g. paid broadcasts). */
  TELEGRAM_GLOBAL_PER_SECOND: intIn(1, 1000, 30),

  SLACK_BOT_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^xoxb-[A-Za-z0-9-]+$/, 'must be the Bot User OAuth Token, starting xoxb- (Slack app → OAuth & Permissions)').optional(),
  ),
  SLACK_SIGNING_SECRET: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be the Signing Secret as Slack shows it, letters and digits only (Slack app → Basic Information)').optional(),
  ),
  SLACK_APP_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().regex(/^xapp-[A-Za-z0-9-]+$/, 'must be the App-Level Token, starting xapp- (Slack app → Basic Information → App-Level Tokens)').optional(),
  ),
  SLACK_STAFF_CHANNEL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[CG][A-Z0-9]+$/, 'must be a channel id such as C0123456789 (channel details → About), not its #name')
      .optional(),
  ),
  SLACK_API_URL: url,
  SLACK_STAFF_USER_IDS: idList,
  SLACK_ADMIN_USER_IDS: idList,
  SLACK_LEAD_USER_IDS: idList,

  WEB_CHAT_ENABLED: oneOf(['auto', 'true', 'false'], 'auto'),
  WEB_CHAT_ORIGINS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .transform((s) => (s ? s.split(/[\s,]+/).filter(Boolean) : []))
      .pipe(z.array(z.string().regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be origins such as https://www.example.gov.cn (scheme, host, optional port; no path)'))),
  ),
  WEB_CHAT_PUBLIC_URL: url,
  WEB_CHAT_SESSION_DAYS: intIn(1, 365, 30),
  WEB_CHAT_TRUST_PROXY: oneOf(['true', 'false'], 'false').transform((v) => v === 'true'),
  /** Proxies of the bureau's own in front of the chat, each appending to X-Forwarded-For (web/http.ts clientIp). */
  WEB_CHAT_TRUSTED_PROXIES: intIn(1, 10, 1),
  WEB_CHAT_IP_PER_MINUTE: intIn(1, 1_000_000, 300),
  /** From this day (MM-DD) on, a missing next-year holiday schedule is announced (healthz, digest, admins, start-up log). */
  CALENDAR_WARN_FROM: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a day of the year written MM-DD, e.g. 12-01')
      .default('12-01'),
  ),

  JOBS_ENABLED: oneOf(['true', 'false'], 'true').transform((v) => v === 'true'),
  JOB_CATCHUP_MINUTES: intIn(0, 1440, 120),
  DIGEST_CRON: cron('30 8 * * *'),
  REMINDERS_CRON: cron('0 9-17 * * *'),
  MONTHLY_CRON: cron('0 9 1 * *'),
  PURGE_CRON: cron('15 2 * * *'),
});

export type Config = z.infer<typeof configSchema>;

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const SECRET_VARIABLES = /TOKEN|SECRET|DATABASE_URL/;

/**
 * Parse and validate the environment. Throws one AppError listing every bad
 * variable as `NAME: what is allowed (got "value")` (a secret's value is not repeated).
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const pasted = pastedWrong(env);
  if (pasted.length > 0) throw new AppError('config_invalid', `Invalid configuration:\n  ${pasted.join('\n  ')}`, { details: pasted });
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      const got = env[name];
      if (got === undefined) return `${name}: ${issue.message}`;
      // A token, secret or URL with a password goes to the start-up log: its length is shown, never the value.
      const shown = SECRET_VARIABLES.test(name) ? `a value of ${[...got].length} characters, not shown` : `"${got}"`;
      return `${name}: ${issue.message} (got ${shown})`;
    });
    throw new AppError('config_invalid', `Invalid configuration:\n  ${lines.join('\n  ')}`, { details: lines });
  }
  const config = result.data;
  const problems: string[] = [];
  if (config.TELEGRAM_WEBHOOK_URL && !config.TELEGRAM_WEBHOOK_SECRET)
    problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set');
  if (config.SLACK_BOT_TOKEN && !config.SLACK_SIGNING_SECRET && !config.SLACK_APP_TOKEN)
    problems.push('SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (or set SLACK_APP_TOKEN for Socket Mode)');
  if (config.SLACK_BOT_TOKEN && !config.SLACK_STAFF_CHANNEL)
    problems.push('SLACK_STAFF_CHANNEL: required when SLACK_BOT_TOKEN is set (a channel id such as C0123456789)');
  // A closed case is anonymised RETENTION_CASE_DAYS after closing; the parent may object (不满意) for REOPEN_DAYS: a
  // retention inside that window would erase the case while the parent still has the right to have it reopened.
  if (config.RETENTION_CASE_DAYS <= config.REOPEN_DAYS)
    problems.push(
      `RETENTION_CASE_DAYS: must be more than REOPEN_DAYS (${config.REOPEN_DAYS}): a closed case would be anonymised while the parent may still ask to reopen it`,
    );
  if (problems.length > 0)
    throw new AppError('config_invalid', `Invalid configuration:\n  ${problems.join('\n  ')}`, { details: problems });
  // Everything that opens the store takes DATABASE_PATH: with DATABASE_URL set, that is the PostgreSQL URL.
  return {
    ...config,
    DATABASE_PATH: config.DATABASE_URL ?? config.DATABASE_PATH,
    INSTANCE_ID: config.INSTANCE_ID ?? `${hostname()}:${config.PORT}`,
  };
}

/**
 * Values pasted with what surrounds them in a mail, a wiki or a shell line: spaces or a line break at either end,
 * or quotes around the value (an env file for docker or systemd's Environment= keeps them as part of the value).
 * A token or secret so pasted would only fail later, as a rejected login or every Slack request refused, so each
 * is named here (its value not shown), with what to remove.
 */
function pastedWrong(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(configSchema.shape)) {
    const value = env[name];
    if (value === undefined || value.trim() === '') continue;
    const secret = SECRET_VARIABLES.test(name);
    const shown = secret ? `a value of ${[...value].length} characters, not shown` : JSON.stringify(value);
    if (/^(["'“‘「]).*(["'”’」])$/su.test(value.trim()))
      problems.push(`${name}: remove the quotes around the value (got ${shown})`);
    else if (value !== value.trim())
      problems.push(`${name}: remove the spaces or line break before or after the value (got ${shown})`);
  }
  return problems;
}

/** Which channels the config switches on. */
export function enabledChannels(config: Config): { telegram: boolean; slack: boolean } {
  return { telegram: Boolean(config.TELEGRAM_BOT_TOKEN), slack: Boolean(config.SLACK_BOT_TOKEN) };
}
