import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStartScript, readStartScript } from '../tests/helpers/start-command.js';
import { buildProject, STAMP } from '../scripts/build.mjs';
import { projectPath } from '../src/project-root.js';
import type { BenchModule } from './run.js';

/**
 * Start to first answer: `npm start` in console mode with the sample knowledge and a fresh database, one
 * question on stdin; the time from spawning to the answer's first line on stdout. Three rows, three runs each:
 * `npm start` with dist/ up to date (its prestart only checks the build stamp), `npm start` after a source
 * change (the stamp removed before each run, so prestart builds), and the start script's node command on the
 * built code (what systemd runs). The load average before each row is printed: the machine may be shared.
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
      print(`| command | first answer after (3 runs) | load avg before |`);
      print('|---|---|---|');
      let run = 0;
      await buildProject(projectPath(), { ifStale: true }); // the first row starts up to date
      for (const [label, command, args, stale] of [
        ['`npm start`, dist/ up to date', 'npm', ['start', '--silent'], false],
        ['`npm start` after a source change (prestart builds)', 'npm', ['start', '--silent'], true],
        ['the start script\'s node command, already built', process.execPath, parseStartScript(readStartScript().script).nodeArgs ?? [], false],
      ] as const) {
        const load = loadavg()[0]!.toFixed(1);
        const times: number[] = [];
        for (let i = 0; i < 3; i++) {
          if (stale) rmSync(STAMP, { force: true });
          times.push(await firstAnswer(command, [...args], dir, run++));
        }
        print(`| ${label} | ${times.map((t) => `${(t / 1000).toFixed(2)} s`).join(' / ')} | ${load} |`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default startBench;
