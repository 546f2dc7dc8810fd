import { leadPolling } from '../../../src/app/poll-leader.js';
import { parseConfig } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { openStore } from '../../../src/storage/open-store.js';

/**
 * One instance's polling side, as main.ts wires it: `leadPolling` over the
 * database at argv[2] with the retry interval from the configuration
 * (POLL_LOCK_RETRY_MS). Its poller prints POLLING when it starts and STOPPED
 * when it stops, so the parent test sees who polls; READY once it asked for the lock.
 */
const [path] = process.argv.slice(2);
const config = parseConfig(process.env);
const db = await openStore(path!);
const tryLock = db.tryLock!.bind(db);
let asked = false;
leadPolling({
  db: {
    ...db,
    tryLock: async (name: string) => {
      const held = await tryLock(name);
      if (!asked) process.stdout.write('READY\n');
      asked = true;
      return held;
    },
  },
  poller: {
    start: async () => void process.stdout.write('POLLING\n'),
    stop: async () => void process.stdout.write('STOPPED\n'),
  },
  logger: silentLogger(),
  retryMs: config.POLL_LOCK_RETRY_MS,
});
