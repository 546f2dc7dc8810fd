import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildIndex } from '../src/knowledge/index.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { teachFile } from '../src/knowledge/teach.js';
import { projectPath } from '../src/project-root.js';
import type { BenchModule } from './run.js';

/**
 * What staff teaching ("归入…" / kb teach) buys, measured on messages nobody taught: each set's
 * answerable messages are split by position into halves A and B; the misses of A (not answered
 * with a right entry) are taught to their entry in a temporary copy of the knowledge base; half B
 * and the must-decline messages are scored before and after. The repository's files are not touched.
 */
interface Case {
  q: string;
  expect: string[];
}

function readCases(path: string): Case[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { q: string; expect: string | string[] | null; kind?: string; intent?: string })
    .filter((r) => r.intent === undefined)
    .map((r) => ({ q: r.q, expect: r.expect === null ? [] : Array.isArray(r.expect) ? r.expect : [r.expect] }));
}

interface Score {
  answeredRight: number;
  n: number;
}

type Index = ReturnType<typeof buildIndex>;

function answeredRight(index: Index, c: Case): boolean {
  const d = index.decide(c.q);
  return d.kind === 'answer' && c.expect.includes(d.best.id);
}

function score(index: Index, cases: readonly Case[], declined = false): Score {
  const right = cases.filter((c) => (declined ? index.decide(c.q).kind !== 'answer' : answeredRight(index, c))).length;
  return { answeredRight: right, n: cases.length };
}

async function load(dir: string) {
  const kb = await loadKnowledge(dir, { today: '2026-09-01' });
  return { entries: kb.entries, index: buildIndex(kb.entries, kb.synonyms) };
}

function outsideDir(): string | null {
  const candidates = [process.env.OUTSIDE_EVAL_DIR, projectPath('../shared/eval'), projectPath('../../shared/eval')].filter((d): d is string => !!d);
  return candidates.find((d) => existsSync(`${d}/outside-xihu/questions.jsonl`)) ?? null;
}

const bench: BenchModule = {
  summary: 'teach the misses of half A of each set, score the untaught half B (and the must-decline messages) before and after',
  async run(print) {
    const sets: [string, string, string][] = [
      ['溪湖区 bench/devset.jsonl', 'bench/devset.jsonl', 'knowledge'],
      ['大东区 other-bureau', 'bench/other-bureau/devset.jsonl', 'bench/other-bureau/knowledge'],
      ['甘井子区 third-bureau', 'bench/third-bureau/devset.jsonl', 'bench/third-bureau/knowledge'],
      ['天河区 fourth-bureau', 'bench/fourth-bureau/devset.jsonl', 'bench/fourth-bureau/knowledge'],
    ].map(([name, file, kb]) => [name!, projectPath(file!), projectPath(kb!)]);
    const outside = outsideDir();
    if (outside) sets.push(['outside 溪湖区', `${outside}/outside-xihu/questions.jsonl`, `${outside}/outside-xihu/kb`]);
    print('| set | taught (misses of A) | B answered right: before → after | must-decline declined: before → after | A answered right after |');
    print('|---|---|---|---|---|');
    const fmt = (s: Score) => `${(s.answeredRight / s.n).toFixed(3)} (${s.answeredRight}/${s.n})`;
    for (const [name, file, kbDir] of sets) {
      const cases = readCases(file);
      const answerable = cases.filter((c) => c.expect.length > 0);
      const decline = cases.filter((c) => c.expect.length === 0);
      const a = answerable.filter((_, i) => i % 2 === 0);
      const b = answerable.filter((_, i) => i % 2 === 1);
      const tmp = mkdtempSync(join(tmpdir(), 'civicdesk-teach-bench-'));
      try {
        cpSync(kbDir, tmp, { recursive: true });
        let kb = await load(tmp);
        const beforeB = score(kb.index, b);
        const beforeDecline = score(kb.index, decline, true);
        let taught = 0;
        for (const c of a.filter((x) => !answeredRight(kb.index, x))) {
          const entry = kb.entries.find((e) => e.id === c.expect[0]);
          if (!entry) continue;
          if ((await teachFile(entry.path, c.q)).added) taught += 1;
        }
        kb = await load(tmp);
        print(`| ${name} | ${taught} of ${a.length} | ${fmt(beforeB)} → ${fmt(score(kb.index, b))} | ${fmt(beforeDecline)} → ${fmt(score(kb.index, decline, true))} | ${fmt(score(kb.index, a))} |`);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
  },
};

export default bench;
