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
}

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
  if (options.destination) return pino({ level }, options.destination as pino.DestinationStream);
  const stderrLevel = options.stderrLevel && rank(options.stderrLevel) > rank(level) ? options.stderrLevel : level;
  const stderr =
    options.format === 'pretty'
      ? pinoPretty({ colorize: Boolean(process.stderr.isTTY), translateTime: 'SYS:standard', destination: 2, sync: true })
      : pino.destination({ dest: 2, sync: true });
  if (!options.file) return pino({ level: stderrLevel }, stderr);
  const streams: pino.StreamEntry[] = [{ level: stderrLevel as pino.Level, stream: stderr }];
  if (level !== 'silent') streams.push({ level: level as pino.Level, stream: pino.destination({ dest: options.file, mkdir: true, sync: true }) });
  return pino({ level: level === 'silent' ? 'silent' : level }, pino.multistream(streams));
}

/** A logger that drops everything: for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
