import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/storage/open-store.js';
import { testDatabaseEnv } from '../../helpers/postgres.js';

/**
 * A console process files complaints in a burst and is killed with SIGKILL.
 * Every code it showed the citizen must exist exactly once, and no complaint
 * may have been filed twice.
 */
describe('console crash', () => {
  it('loses no acknowledged case and duplicates none after SIGKILL', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'crash-')), 'civicdesk.db');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, ...testDatabaseEnv, DATABASE_PATH: dbPath, LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    // Complaint → [1] 不留电话 → [1] 确认提交, forty times.
    const burst = Array.from({ length: 40 }, (_, i) => `我要投诉第${i + 1}号学校乱收费资料费\n1\n1\n`).join('');
    child.stdin.write(burst);
    let out = '';
    const shown = await new Promise<string[]>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const codes = [...out.matchAll(/助手：已登记，编号 (XH-\d{4}-\d{6})/g)].map((m) => m[1]!);
        if (codes.length >= 8) {
          child.kill('SIGKILL');
          resolve(codes);
        }
      });
      child.on('exit', () => reject(new Error(`console exited before 8 cases were shown:\n${out.slice(-500)}`)));
    });
    await new Promise((r) => child.once('close', r));

    const db = await openStore(dbPath);
    const rows = await db.all<{ code: string; text: string }>('SELECT code, text FROM cases');
    for (const code of shown) expect(rows.filter((r) => r.code === code)).toHaveLength(1);
    const texts = rows.map((r) => r.text);
    expect(new Set(texts).size).toBe(texts.length);
    await db.close();
  });
});
