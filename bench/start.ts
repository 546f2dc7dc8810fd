import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStartScript, readStartScript } from '../tests/helpers/start-command.js';
import type { BenchModule } from './run.js';

/**
 * Start to first answer: `npm start` (its prestart build included) in console mode with the sample
 * knowledge and a fresh database, one question on stdin; the time from spawning to the answer's first
 * line on stdout. Also the start script's node command on the built code (what systemd runs), three runs each.
 */
const QUESTION = '一年级报名需要什么材料';

function firstAnswer(command: string, args: string[], dbDir: string, run: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: { ...process.env, ...parseStartScript(readStartScript().script).env, DATABASE_PATH: join(dbDir, `start-${run}.db`), TELEGRAM_BOT_TOKEN: '', SLACK_BOT_TOKEN: '', LOG_LEVEL: 'warn' }, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (/^助手：/m.test(out)) {
        const ms = performance.now() - started;
        child.kill('SIGTERM');
        resolve(ms);
      }
    });
    child.on('exit', (code) => (/^助手：/m.test(out) ? undefined : reject(new Error(`${command} exited ${code} before answering`))));
    child.stdin.end(`${QUESTION}\n`);
  });
}

const startBench: BenchModule = {
  summary: 'start to first answer in console mode with the sample knowledge (npm start, and the built bot alone)',
  async run(print) {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-start-'));
    try {
      print(`| command | first answer after (3 runs) |`);
      print('|---|---|');
      for (const [label, command, args] of [
        ['`npm start` (prestart build included)', 'npm', ['start', '--silent']],
        ['the start script\'s node command, already built', process.execPath, parseStartScript(readStartScript().script).nodeArgs ?? []],
      ] as const) {
        const times: number[] = [];
        for (let run = 0; run < 3; run++) times.push(await firstAnswer(command, [...args], dir, times.length + (label.startsWith('`npm') ? 0 : 10)));
        print(`| ${label} | ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(' / ')} |`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default startBench;
