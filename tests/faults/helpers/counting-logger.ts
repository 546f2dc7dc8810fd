import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../src/logger.js';

/**
 * A real pino logger (level warn) that counts error-level lines by message and error text,
 * and copies every line to `file` when given: what the load benchmark reports as bot errors.
 */
export function countingLogger(file?: string): { logger: Logger; errors: Record<string, number> } {
  const errors: Record<string, number> = {};
  const copy = file ? createWriteStream(file) : null;
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      copy?.write(chunk);
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const entry = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
        if (entry.level < 50) continue;
        const key = `${entry.msg ?? ''}: ${(entry.err?.message ?? '').slice(0, 90)}`;
        errors[key] = (errors[key] ?? 0) + 1;
      }
      done();
    },
  });
  return { logger: createLogger({ level: 'warn', destination }), errors };
}
