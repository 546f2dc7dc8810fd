import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { buildIndex, type KnowledgeIndex } from '../src/knowledge/index.js';
import { packEntry } from '../src/knowledge/packed-entry.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import type { TokenizerMode } from '../src/knowledge/tokenize.js';
import { generateEntries } from './kb.js';

/**
 * Dumps what `search()` (top 20, so every candidate's final score shows) and `decide()` return for every
 * message of every evaluation set, against its bureau's knowledge and against generated large bases, one
 * JSON line per message. Run it before and after a change to the retrieval path and compare the files
 * byte for byte (`cmp`): the retrieval internals may change, what a parent sees may not.
 *
 *   npx tsx bench/retrieval-dump.ts OUT.jsonl [--quick]
 */
const XIHU = 'knowledge';
const SETS: { dir: string; files: string[] }[] = [
  {
    dir: XIHU,
    files: ['bench/devset.jsonl', 'bench/kb-fresh-xihu.jsonl', 'bench/kb-english-xihu.jsonl', 'bench/intents.jsonl', 'bench/intents-fresh.jsonl'],
  },
  { dir: 'bench/other-bureau/knowledge', files: ['bench/other-bureau/devset.jsonl', 'bench/kb-fresh-dadong.jsonl'] },
  { dir: 'bench/third-bureau/knowledge', files: ['bench/third-bureau/devset.jsonl', 'bench/kb-fresh-third.jsonl'] },
  { dir: 'bench/fourth-bureau/knowledge', files: ['bench/fourth-bureau/devset.jsonl', 'bench/fourth-bureau/fresh.jsonl'] },
  { dir: '../shared/eval/outside-xihu/kb', files: ['../shared/eval/outside-xihu/questions.jsonl'] },
];
const MODES: TokenizerMode[] = ['jieba', 'jieba+bigram', 'segmenter', 'bigram'];

const messages = (file: string): string[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => (JSON.parse(l) as { q: string }).q)
    : [];

function dumpOne(index: KnowledgeIndex, q: string): string {
  const d = index.decide(q);
  const decision =
    d.kind === 'answer'
      ? { kind: d.kind, best: { id: d.best.id, section: d.best.section, score: d.best.score, sectionText: d.best.sectionText }, alternatives: d.alternatives, confident: d.confident, results: d.results }
      : d;
  return JSON.stringify({ q, search: index.search(q, 20), decision });
}

async function main(): Promise<void> {
  const [out, flag] = process.argv.slice(2);
  if (!out) throw new Error('usage: tsx bench/retrieval-dump.ts OUT.jsonl [--quick]');
  const sink = createWriteStream(out);
  const write = (line: string) => sink.write(`${line}\n`);
  const all: string[] = [];
  for (const set of SETS) {
    if (!existsSync(set.dir)) continue;
    const kb = await loadKnowledge(set.dir);
    const qs = set.files.flatMap(messages);
    all.push(...qs);
    for (const mode of MODES) {
      const index = buildIndex(kb.entries, kb.synonyms, { mode });
      write(`# ${set.dir} ${mode} ${kb.entries.length} entries ${qs.length} messages`);
      for (const q of qs) write(dumpOne(index, q));
    }
  }
  const generated = flag === '--quick' ? [[XIHU, 2_000]] as const : ([[XIHU, 10_000], ['bench/fourth-bureau/knowledge', 3_000]] as const);
  for (const [dir, n] of generated) {
    const kb = await loadKnowledge(dir);
    // Packed, as the bot holds entries loaded from files (packed-entry.ts).
    const index = buildIndex(generateEntries(kb.entries, n).map(packEntry), kb.synonyms);
    write(`# generated ${n} from ${dir}, ${all.length} messages`);
    for (const q of all) write(dumpOne(index, q));
  }
  await new Promise<void>((resolve) => sink.end(resolve));
}

await main();
