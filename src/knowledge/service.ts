import type { Logger } from '../logger.js';
import type { Jurisdiction } from './jurisdiction.js';
import { buildIndex, buildIndexAsync, type KnowledgeIndex } from './index.js';
import { loadKnowledge } from './loader.js';
import type { KnowledgeEntry, Problem, SynonymGroups } from './schema.js';
import { watchTree } from './watch-tree.js';

/**
 * Holds the live knowledge index and replaces it without downtime. A reload
 * loads and builds the new index aside, then swaps one reference: a message
 * is answered from the old index or the new one, never a half-built one.
 * When a file fails validation, the good files still go live and the
 * previous version of each broken entry stays live.
 *
 * @example
 *   const kb = createKnowledgeService({ dir: 'knowledge', logger, onReload: (r) => notifyAdmins(r.problems) });
 *   await kb.reload();
 *   const stop = kb.watch();
 *   kb.current().decide('教资认定要什么材料');
 */
export interface ReloadReport {
  entries: number;
  problems: Problem[];
  warnings: Problem[];
  /** Ids still served from the previous version because their file is now broken. */
  keptPrevious: string[];
  /** The folder itself could not be read (missing, not a folder, no permission): nothing was loaded from it. */
  folderUnreadable?: boolean;
  /** Time to load and build, and time to swap (ms). */
  buildMs: number;
  swapMs: number;
}

export type ReloadCause = 'local' | 'peer';

export interface KnowledgeService {
  current(): KnowledgeIndex;
  /** The entries of the live index (for /kb stats and entry-id checks). */
  entries(): readonly KnowledgeEntry[];
  /** `cause` reaches onReload: 'peer' marks a reload another instance asked for (not announced again). */
  reload(cause?: ReloadCause): Promise<ReloadReport>;
  /** Reload on every change under the folder (debounced). Returns a stop function; `ready` resolves once watching. */
  watch(): (() => Promise<void>) & { ready: Promise<void> };
}

export interface KnowledgeServiceOptions {
  dir: string;
  logger: Logger;
  onReload?: (report: ReloadReport, cause: ReloadCause) => void;
  debounceMs?: number;
  /** The bureau's area; messages about another place are answered `elsewhere`. */
  jurisdiction?: Jurisdiction;
  /** YYYY-MM-DD for review_by warnings; defaults to today. */
  today?: () => string;
}

/**
 * A build leaves the old index and its own intermediate strings and arrays behind: a few tens of MB at 10,000
 * entries. Left to the collector they are freed only as the heap fills under traffic, so the process would
 * carry them into its peak memory. When node runs with `--expose-gc`, one full collection right after the swap
 * returns them at once (~0.1 s, on a reload only). The start script passes `--expose-gc` for this: with its
 * 20 % heap-growing limit the old generation's first limit is set from the heap after this collection, not from
 * the heap with the build's garbage in it (docs/BENCHMARKS.md, issue 17).
 */
function releaseBuildGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc === 'function') gc();
}

export function createKnowledgeService(options: KnowledgeServiceOptions): KnowledgeService {
  let live: KnowledgeIndex = buildIndex([]);
  let liveEntries: KnowledgeEntry[] = [];
  /** The bureau's synonyms of the last reload whose `_synonyms.yaml` was valid (or absent); null before one. */
  let liveSynonyms: SynonymGroups | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  async function reloadNow(cause: ReloadCause): Promise<ReloadReport> {
    const started = performance.now();
    const owners = new Map(liveEntries.map((e) => [e.id, e.path] as const));
    const loaded = await loadKnowledge(options.dir, { today: options.today?.(), owners });
    // The folder gone or unreadable, or emptied (a deploy replacing it, a move, a mount lost): a bot that knows
    // nothing answers no one, so the live index stays whole and the problem is reported until the files are back.
    if (liveEntries.length > 0 && (loaded.folderUnreadable || (loaded.entries.length === 0 && loaded.skipped.length === 0))) {
      const problem = loaded.folderUnreadable
        ? loaded.problems[0]!
        : { path: options.dir, line: 0, message: 'the knowledge folder has no entries now' };
      return keepLive({ ...problem, message: `${problem.message}; still answering from the ${liveEntries.length} entries loaded before` }, cause, started);
    }
    const goodIds = new Set(loaded.entries.map((e) => e.id));
    const broken = new Set(loaded.skipped);
    // An entry whose file is broken now keeps its previous version; the loader never gives its id to another file
    // while the owner file exists (the check on goodIds only matters if the owner's new version changed its id).
    const kept = liveEntries.filter((e) => broken.has(e.path) && !goodIds.has(e.id));
    const entries = [...loaded.entries, ...kept];
    // A broken `_synonyms.yaml` is treated like a broken entry: the synonyms loaded before stay live, and the
    // problem says so (an admin's typo must not silently stop every bureau term mapped through the file).
    const synonyms = loaded.synonymsBroken ? (liveSynonyms ?? loaded.synonyms) : loaded.synonyms;
    const problems = loaded.synonymsBroken ? loaded.problems.map((p) => (p.path.endsWith('_synonyms.yaml') ? synonymsKept(p) : p)) : loaded.problems;
    const next = await buildIndexAsync(entries, synonyms, { jurisdiction: options.jurisdiction });
    const buildMs = performance.now() - started;
    const swapStarted = performance.now();
    live = next;
    liveEntries = entries;
    if (!loaded.synonymsBroken) liveSynonyms = loaded.synonyms;
    releaseBuildGarbage();
    const report: ReloadReport = {
      entries: entries.length,
      problems,
      warnings: loaded.warnings,
      keptPrevious: kept.map((e) => e.id),
      ...(loaded.folderUnreadable ? { folderUnreadable: true } : {}),
      buildMs: Math.round(buildMs),
      swapMs: performance.now() - swapStarted,
    };
    options.logger.info(
      { entries: report.entries, problems: report.problems.length, keptPrevious: report.keptPrevious.length, buildMs: report.buildMs },
      'knowledge base reloaded',
    );
    options.onReload?.(report, cause);
    return report;
  }

  function synonymsKept(problem: Problem): Problem {
    const kept = liveSynonyms ? liveSynonyms.groups.length + liveSynonyms.typos.length : 0;
    const tail = liveSynonyms
      ? `; the ${kept} synonym groups and typos loaded before stay live until the file is fixed`
      : '; none of its synonyms are in use until the file is fixed';
    return { ...problem, message: `${problem.message}${tail}` };
  }

  function keepLive(problem: Problem, cause: ReloadCause, started: number): ReloadReport {
    const report: ReloadReport = {
      entries: liveEntries.length,
      problems: [problem],
      warnings: [],
      keptPrevious: liveEntries.map((e) => e.id),
      buildMs: Math.round(performance.now() - started),
      swapMs: 0,
    };
    options.logger.error({ path: problem.path, entries: report.entries }, `knowledge reload refused: ${problem.message}`);
    options.onReload?.(report, cause);
    return report;
  }

  return {
    current: () => live,
    entries: () => liveEntries,
    reload(cause: ReloadCause = 'local') {
      // Reloads run one after another, so an older reload never overwrites a newer one.
      const now = () => reloadNow(cause);
      const run = queue.then(now, now);
      queue = run.catch(() => undefined);
      return run;
    },
    watch() {
      let timer: NodeJS.Timeout | undefined;
      const schedule = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          this.reload().catch((error: unknown) => options.logger.error({ err: error }, 'knowledge reload failed'));
        }, options.debounceMs ?? 300);
      };
      const watcher = watchTree(options.dir, schedule, (error) => options.logger.warn({ err: error }, 'knowledge folder watch failed'));
      const stop = async () => {
        clearTimeout(timer);
        watcher.close();
      };
      return Object.assign(stop, { ready: watcher.ready });
    },
  };
}
