import type { Db } from '../../src/storage/db.js';

/**
 * A real database (SQLite or PostgreSQL) whose next statement matching a pattern never answers: a connection or a
 * disk that hangs rather than fails, at the boundary every repository function goes through. `hangNext(pattern)`
 * arms it for one statement (outside or inside a transaction); `reached` resolves when that statement was issued, so
 * a test knows the request is stuck there before it fires its bounds. Everything else runs on the real database.
 */
export interface HangingDb {
  db: Db;
  /**
   * The statement after `skip` matching ones hangs. `release()` lets it run at last (a database that answers late): a
   * statement hung inside a transaction holds the connection's queue, which must be released before the database closes.
   */
  hangNext(pattern: RegExp, skip?: number): { reached: Promise<void>; release(): void };
}

export function hangingDb(real: Db): HangingDb {
  let armed: { pattern: RegExp; skip: number; reached: () => void; held: (run: () => void) => void } | null = null;
  const hangIf = <T>(sql: string, call: () => Promise<T>): Promise<T> => {
    if (armed && armed.pattern.test(sql) && armed.skip-- === 0) {
      const { reached, held } = armed;
      armed = null;
      reached();
      return new Promise<T>((resolve, reject) => held(() => void call().then(resolve, reject)));
    }
    return call();
  };
  const wrap = (db: Db): Db =>
    new Proxy(db, {
      get(target, key, receiver) {
        if (key === 'get' || key === 'all' || key === 'run')
          return (sql: string, params?: never) => hangIf(sql, () => (target[key] as (s: string, p?: never) => Promise<unknown>).call(target, sql, params));
        if (key === 'transaction') return <T>(work: (tx: Db) => Promise<T>) => target.transaction((tx) => work(wrap(tx)));
        const value = Reflect.get(target, key, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  return {
    db: wrap(real),
    hangNext(pattern, skip = 0) {
      let reached = (): void => undefined;
      const promise = new Promise<void>((resolve) => (reached = resolve));
      let run: (() => void) | null = null;
      let released = false;
      armed = { pattern, skip, reached, held: (r) => (released ? r() : (run = r)) };
      return {
        reached: promise,
        release: () => {
          released = true;
          run?.();
        },
      };
    },
  };
}
