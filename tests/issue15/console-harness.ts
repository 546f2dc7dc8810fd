import { Readable, Writable } from 'node:stream';
import { runConsole } from '../../src/channels/console/console-channel.js';
import type { Locale } from '../../src/core/types.js';
import { silentLogger } from '../../src/logger.js';
import { makeEngine, tempDbPath } from '../core/engine/harness.js';

/**
 * The console channel in-process: the real engine, case desk and SQLite file, lines in, the
 * transcript out (the same path as `printf … | npm start` with no tokens). Each `run` is one
 * session; the database and the clock carry over between sessions.
 */
export async function consoleSession(start: Date, options: { staffLocale?: Locale } = {}) {
  const clock = { now: start };
  const { engine, db, cases } = await makeEngine(tempDbPath(), () => clock.now);
  const run = async (lines: string[]) => {
    let out = '';
    const output = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString('utf8');
        done();
      },
    });
    await runConsole({
      engine, cases, db, logger: silentLogger(), locale: 'zh', ...options, bureau: '本溪市溪湖区教育局',
      input: Readable.from(lines.map((l) => `${l}\n`)), output, staffDesk: true, echo: true, now: () => clock.now,
    });
    return out;
  };
  return { run, db, cases, clock, close: () => db.close() };
}
