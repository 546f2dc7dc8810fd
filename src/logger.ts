import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs (pino), or a readable terminal format when
 * LOG_FORMAT=pretty. Never log citizen message text at info level: use
 * `textLength` or a masked excerpt at debug.
 */
export function createLogger(options: { level?: string; format?: 'json' | 'pretty'; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? 'info';
  if (options.format === 'pretty' && !options.destination) {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:standard', destination: 2 } },
    });
  }
  return pino({ level }, (options.destination ?? pino.destination(2)) as pino.DestinationStream);
}

/** A logger that drops everything: for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
