import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createCaseDesk } from '../../src/core/cases/index.js';
import { openStore } from '../../src/storage/open-store.js';
import { fileIntegrityProblems } from '../helpers/integrity.js';

const CHILD = join(import.meta.dirname, 'file-burst.ts');

/** Runs the burst child, reads "<key> <code>" lines, SIGKILLs it once `killAfter` lines arrived. */
function burstAndKill(dbPath: string, killAfter: number): Promise<{ printed: Map<string, string>; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const printed = new Map<string, string>();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const [key, code] = line.split(' ');
      if (key && code) printed.set(key, code);
      if (printed.size === killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended with code ${code} before being killed:\n${stderr}`));
      else resolve({ printed, signal });
    });
  });
}

describe('crash: SIGKILL during a burst of filings', () => {
  it('keeps every case whose code was shown exactly once, and a restart duplicates none', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'civicdesk-crash-')), 'crash.db');
    const { printed, signal } = await burstAndKill(dbPath, 150);
    expect(signal).toBe('SIGKILL');
    expect(printed.size).toBeGreaterThanOrEqual(150);

    const db = await openStore(dbPath);
    const rows = await db.all<{ code: string; idempotency_key: string; id: number }>('SELECT id, code, idempotency_key FROM cases');
    const byCode = new Map(rows.map((r) => [r.code, r]));
    for (const [key, code] of printed) {
      expect(rows.filter((r) => r.code === code), `${code} printed but not stored once`).toHaveLength(1);
      expect(byCode.get(code)?.idempotency_key).toBe(key);
    }
    expect(new Set(rows.map((r) => r.idempotency_key)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
    // Every stored case is whole: its created event and both outbox rows committed with it.
    const partial = await db.all(
      `SELECT c.code FROM cases c WHERE
         (SELECT COUNT(*) FROM case_events e WHERE e.case_id = c.id AND e.kind = 'created') <> 1 OR
         (SELECT COUNT(*) FROM outbox o WHERE o.case_id = c.id) <> 2`,
    );
    expect(partial).toEqual([]);
    expect(await fileIntegrityProblems(db)).toEqual([]);

    // Restart: the retried filings (same idempotency keys) get the codes already shown.
    const desk = createCaseDesk({ db });
    const retried = [...printed.keys()].slice(0, 40);
    for (const key of retried) {
      const again = await desk.file({ type: 'complaint', channel: 'telegram', chatId: 'x', text: '重试', idempotencyKey: key, actor: 'citizen' });
      expect(again.code).toBe(printed.get(key));
    }
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases'))!.n).toBe(rows.length);
    const fresh = await desk.file({ type: 'complaint', channel: 'telegram', chatId: 'x', text: '新投诉', idempotencyKey: 'after-restart', actor: 'citizen' });
    expect(byCode.has(fresh.code)).toBe(false);
    await db.close();
  });
});
