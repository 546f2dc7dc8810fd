import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.js';
import { createCaseDesk } from '../src/core/cases/index.js';
import { createEngine, createEngineStore } from '../src/core/engine/index.js';
import { loadIntents } from '../src/core/intents/index.js';
import { silentLogger } from '../src/logger.js';
import type { Db } from '../src/storage/db.js';
import { openStore } from '../src/storage/open-store.js';
import type { BenchModule } from './run.js';

/**
 * Per-turn cost of the staff-reopen pickup (router.ts takeUpStaffReopen runs on every turn of a chat with no case
 * reopened): one parent whose chat has 50 cases, all closed or all waiting for staff (claimed, each with a short
 * history), against a chat with none. A turn is a plain question the bot refuses (no knowledge base: the engine
 * path without retrieval, so the storage part is not hidden by ranking). Statements counted by a wrapper around
 * the database (every get/all/run, inside transactions too); time per turn is the median of 5 rounds of 400 turns.
 */
const TURNS = 400;
const ROUNDS = 5;

function counting(db: Db): { db: Db; count: () => number } {
  let n = 0;
  const wrap = (inner: Db): Db =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop === 'get' || prop === 'all' || prop === 'run') {
          return (...args: unknown[]) => {
            n++;
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        if (prop === 'transaction') return <T>(work: (tx: Db) => Promise<T>) => target.transaction((tx) => work(wrap(tx)));
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return { db: wrap(db), count: () => n };
}

type Setup = 'none' | 'closed' | 'waiting';

async function measure(setup: Setup): Promise<{ queries: number; microsPerTurn: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-reopen-'));
  const raw = await openStore(join(dir, 'bench.db'));
  try {
    const { db, count } = counting(raw);
    const config = parseConfig({});
    const now = () => new Date('2026-11-27T02:00:00Z');
    const cases = createCaseDesk({ db, config, now });
    const engine = createEngine({
      store: createEngineStore(db),
      knowledge: { current: () => ({ decide: () => ({ kind: 'none' as const }) }) },
      cases,
      intents: await loadIntents(),
      config,
      logger: silentLogger(),
      now,
    });
    const chat = { channel: 'console' as const, chatId: 'p1', userId: 'p1' };
    if (setup !== 'none') {
      for (let i = 0; i < 50; i++) {
        const c = await cases.file({ type: 'complaint', channel: 'console', chatId: chat.chatId, text: `第${i}件：学校门口交通拥堵`, actor: 'citizen' });
        await cases.act(c.code, { kind: 'claim' }, 'console');
        await cases.addNote(c.code, '已联系学校', 'console');
        if (setup === 'closed') await cases.act(c.code, { kind: 'close', note: '已处理。' }, 'console');
      }
    }
    const ask = () => engine.handle({ ...chat, text: '请问周末图书馆开门吗' });
    for (let i = 0; i < 50; i++) await ask(); // warm-up (JIT, statement cache, conversation row)
    await engine.flush();
    const before = count();
    await ask();
    const queries = count() - before;
    const rounds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const started = performance.now();
      for (let i = 0; i < TURNS; i++) await ask();
      rounds.push(((performance.now() - started) * 1000) / TURNS);
    }
    await engine.flush();
    rounds.sort((a, b) => a - b);
    return { queries, microsPerTurn: Math.round(rounds[Math.floor(ROUNDS / 2)]!) };
  } finally {
    await raw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const mod: BenchModule = {
  summary: 'per-turn cost of the staff-reopen pickup: a chat with 50 cases (closed, or waiting for staff) against one with none',
  async run(print) {
    print(`One chat, ${TURNS} turns × ${ROUNDS} rounds (median), SQLite in a temp dir; statements = get/all/run calls in one turn.\n`);
    print('| chat | statements per turn | µs per turn (median round) | load avg (1 min) before |');
    print('|---|---:|---:|---:|');
    for (const [setup, label] of [['none', 'no cases'], ['closed', '50 cases, all closed'], ['waiting', '50 cases, all claimed (waiting for staff)']] as const) {
      const load = loadavg()[0]!.toFixed(1);
      const r = await measure(setup);
      print(`| ${label} | ${r.queries} | ${r.microsPerTurn} | ${load} |`);
    }
  },
};
export default mod;
