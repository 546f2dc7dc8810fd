import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/logger.js';

/** A real pino logger writing JSON lines into memory, so a test can read what an operator would see. */
export function captureLogger(level = 'warn'): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  let raw = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString();
      done();
    },
  });
  const logger = createLogger({ level, format: 'json', destination });
  const lines = () =>
    raw
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, text: () => raw };
}
