import MiniSearch from 'minisearch';
import type { Decision, Hit } from '../src/knowledge/decide.js';
import type { Searcher } from '../src/knowledge/evaluate.js';
import type { KnowledgeEntry } from '../src/knowledge/schema.js';
import { bigramTokens } from '../src/knowledge/bigram-order.js';

export { bigramTokens };

/**
 * The two peers the engine is compared with, wrapped as `Searcher`s:
 * MiniSearch with its default settings (answers whenever anything matches),
 * and NLP.js (node-nlp, language zh) trained on titles + questions (answers
 * unless it says "None").
 */
const asDecision = (results: Hit[], answer: boolean, entries: Map<string, KnowledgeEntry>): Decision => {
  const top = results[0];
  const entry = top && entries.get(top.id);
  if (!answer || !top || !entry) return { kind: 'none', results };
  return { kind: 'answer', best: { ...top, entry, sectionText: entry.body }, alternatives: [], confident: true, results };
};

export function miniSearchDefaults(entries: KnowledgeEntry[]): Searcher {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const mini = new MiniSearch({ fields: ['title', 'questions', 'tags', 'body'] });
  mini.addAll(entries.map((e) => ({ id: e.id, title: e.title, questions: e.questions.join(' '), tags: e.tags.join(' '), body: e.body })));
  const search = (text: string, limit = 5): Hit[] =>
    mini.search(text).slice(0, limit).map((r) => ({ id: String(r.id), section: null, score: r.score }));
  return { search, decide: (text) => { const r = search(text); return asDecision(r, r.length > 0, byId); } };
}

interface NlpResult {
  intent: string;
  classifications: { intent: string; score: number }[];
}

/** Trains NLP.js and precomputes answers (its API is async; the evaluator is sync). */
export async function nlpJs(entries: KnowledgeEntry[], queries: string[]): Promise<{ searcher: Searcher; trainMs: number; latencies: number[] }> {
  const moduleName = 'node-nlp'; // untyped CommonJS package
  const { NlpManager } = (await import(moduleName)) as {
    NlpManager: new (o: object) => { addDocument(l: string, u: string, i: string): void; train(): Promise<void>; process(l: string, u: string): Promise<NlpResult> };
  };
  const byId = new Map(entries.map((e) => [e.id, e]));
  const manager = new NlpManager({ languages: ['zh'], forceNER: false, autoSave: false, nlu: { log: false } });
  for (const e of entries) for (const u of [e.title, ...e.questions]) manager.addDocument('zh', u, e.id);
  const started = performance.now();
  const log = console.log;
  console.log = () => {};
  await manager.train();
  console.log = log;
  const trainMs = performance.now() - started;
  const cache = new Map<string, NlpResult>();
  const latencies: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    cache.set(q, await manager.process('zh', q));
    latencies.push(performance.now() - t);
  }
  const results = (text: string, limit = 5): Hit[] =>
    (cache.get(text)?.classifications ?? [])
      .filter((c) => c.score > 0)
      .slice(0, limit)
      .map((c) => ({ id: c.intent, section: null, score: c.score }));
  return {
    searcher: { search: results, decide: (text) => asDecision(results(text), (cache.get(text)?.intent ?? 'None') !== 'None', byId) },
    trainMs,
    latencies,
  };
}

/**
 * The plain baseline the issue measures against: MiniSearch's BM25 over title, questions, tags and body
 * with character-bigram tokens and no other knowledge. Answers whenever anything matches.
 */
export function miniSearchBigrams(entries: KnowledgeEntry[]): Searcher {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const mini = new MiniSearch({ fields: ['title', 'questions', 'tags', 'body'], tokenize: bigramTokens, processTerm: (t) => t });
  mini.addAll(entries.map((e) => ({ id: e.id, title: e.title, questions: e.questions.join(' '), tags: e.tags.join(' '), body: e.body })));
  const search = (text: string, limit = 5): Hit[] =>
    mini.search(text).slice(0, limit).map((r) => ({ id: String(r.id), section: null, score: r.score }));
  return { search, decide: (text) => { const r = search(text); return asDecision(r, r.length > 0, byId); } };
}
