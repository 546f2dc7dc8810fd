import pinoPretty from 'pino-pretty';
import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  format?: 'json' | 'pretty';
  /** Where the logs go instead of stderr (tests). */
  destination?: NodeJS.WritableStream;
  /** Also write every log line at `level` to this file, as JSON (created with its folder). */
  file?: string;
  /** Only this level and above reach stderr (the console chat shares the terminal: 'warn'). */
  stderrLevel?: string;
  /** The bureau's TIMEZONE: readable (pretty) lines show their time there, with its offset. Default: the system's. */
  timeZone?: string;
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one, and every line needs it. */
const logTimeFormats = new Map<string, Intl.DateTimeFormat>();
function logTimeFormat(timeZone: string): Intl.DateTimeFormat {
  let format = logTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    logTimeFormats.set(timeZone, format);
  }
  return format;
}

/**
 * A log line's time as the operator reads it: "2026-12-07 22:53:38.746 +0800" in `timeZone` (the bureau's TIMEZONE,
 * like every other time staff see), not the server's zone, which is often UTC.
 */
export function formatLogTime(epochMs: number, timeZone: string): string {
  const parts = logTimeFormat(timeZone).formatToParts(new Date(epochMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const offset = part('timeZoneName').replace(/^GMT/, '').replace(':', '') || '+0000';
  const ms = String(Math.floor(((epochMs % 1000) + 1000) % 1000)).padStart(3, '0');
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}.${ms} ${offset}`;
}

function prettyStream(destination: NodeJS.WritableStream | 2, timeZone: string | undefined, colorize: boolean) {
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return pinoPretty({
    colorize,
    translateTime: false,
    customPrettifiers: { time: (t) => `[${formatLogTime(Number(t), zone)}]` },
    destination: destination as never,
    sync: true,
  });
}

/** Plain facts about an error worth logging; strings longer than this are cut (a message never needs more). */
const MAX_FIELD = 500;
const FACTS = ['code', 'errno', 'syscall', 'status', 'statusCode', 'error_code', 'description'] as const;

const short = (value: unknown) => (typeof value === 'string' && value.length > MAX_FIELD ? `${value.slice(0, MAX_FIELD)}…` : value);

/**
 * The `err` of a log line, by allow-list: type, message, stack, codes, the API's own error code and description, and
 * the cause (to a depth of 3). Everything else an error carries is dropped: telegraf's TelegramError holds the request
 * (`on.payload`, with the chat id and the whole message text), @slack/web-api's request errors the HTTP request with
 * its body, body parsers the raw body. None of that may reach the log at info level.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) {
    if (error === null || typeof error !== 'object') return short(error);
    return { type: 'non-error', keys: Object.keys(error).slice(0, 10) };
  }
  const source = error as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { type: error.constructor?.name ?? error.name, message: short(error.message), stack: error.stack };
  for (const key of FACTS) if (typeof source[key] === 'string' || typeof source[key] === 'number') out[key] = short(source[key]);
  const response = source.response as Record<string, unknown> | undefined;
  if (response && typeof response === 'object') {
    // Telegram's answer ({ error_code, description, parameters: { retry_after } }); never the request.
    const { error_code, description, parameters } = response;
    out.response = { error_code, description: short(description), ...(parameters && typeof parameters === 'object' ? { parameters } : {}) };
  }
  const data = source.data as Record<string, unknown> | undefined;
  // A Slack platform error's own code ("channel_not_found"); the rest of its answer is not needed.
  if (data && typeof data === 'object' && typeof data.error === 'string') out.data = { error: data.error };
  if (error.cause !== undefined && depth < 3) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

const serializers = { err: serializeError };

const rank = (level: string) => (level === 'silent' ? Infinity : (pino.levels.values[level] ?? 30));

/**
 * Structured JSON logs (pino), or a readable format when LOG_FORMAT=pretty, on a terminal or
 * piped alike (colour only on a terminal). In console mode the chat owns the terminal: logs go to
 * `file` and only warnings and errors to stderr, so they do not interleave with the conversation.
 * Never log citizen message text at info level: use `textLength` or a masked excerpt at debug.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (level === 'silent') return silentLogger();
  if (options.destination)
    return pino({ level, serializers }, options.format === 'pretty' ? prettyStream(options.destination, options.timeZone, false) : (options.destination as pino.DestinationStream));
  const stderrLevel = options.stderrLevel && rank(options.stderrLevel) > rank(level) ? options.stderrLevel : level;
  const stderr =
    options.format === 'pretty'
      ? prettyStream(2, options.timeZone, Boolean(process.stderr.isTTY))
      : pino.destination({ dest: 2, sync: true });
  if (!options.file) return pino({ level: stderrLevel, serializers }, stderr);
  const streams: pino.StreamEntry[] = [{ level: stderrLevel as pino.Level, stream: stderr }];
  if (level !== 'silent') streams.push({ level: level as pino.Level, stream: pino.destination({ dest: options.file, mkdir: true, sync: true }) });
  return pino({ level: level === 'silent' ? 'silent' : level, serializers }, pino.multistream(streams));
}

/** A logger that drops everything: for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
