import { readFileSync, writeFileSync } from 'node:fs';
import { buildIndex } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { projectPath } from '../src/project-root.js';
import { chooseThreshold, fitRole, heldOutScores, roleExamples } from '../train/place-role.js';
import { writtenBureaus } from '../train/written.js';
import type { PlaceRoleModel } from '../src/knowledge/place-role.js';
import type { BenchModule } from './run.js';

/**
 * The jurisdiction check on train/written (16 bureaus, each with its own home from bureaus.json), through the
 * index's decision as the bot runs it: how many `elsewhere` rows are declined as another place, and how many
 * answerable rows (expect non-empty) are. Held out by bureau: each bureau's rows are read with a place-role model
 * fitted (threshold chosen the same way, nested) without that bureau's messages, since train/written is what the
 * committed model learns from; SHIPPED_MODEL=1 reads them with models/place-role.json instead. JURISDICTION_ROWS=file writes one JSON line per row declined as another
 * place (bureau, kind, q, place), so two states can be compared row by row.
 */
const bench: BenchModule = {
  summary: 'jurisdiction on train/written: other-place rows declined, answerable rows declined as another place',
  async run(print) {
    const rows: string[] = [];
    let elsewhere = 0;
    let caught = 0;
    let answerable = 0;
    let lost = 0;
    let otherKinds = 0;
    const examples = process.env.SHIPPED_MODEL === '1' ? [] : roleExamples();
    const heldOutModel = (bureau: string): PlaceRoleModel | undefined => {
      if (examples.length === 0) return undefined;
      const rest = examples.filter((e) => e.bureau !== bureau);
      return { ...fitRole(rest), threshold: chooseThreshold(rest, heldOutScores(rest)) };
    };
    print('| bureau | elsewhere rows declined | answerable rows declined as another place |\n|---|---|---|');
    for (const b of writtenBureaus()) {
      const kb = await loadKnowledge(projectPath(b.knowledge));
      const index = buildIndex(kb.entries, kb.synonyms, { jurisdiction: createJurisdiction(b, heldOutModel(b.bureau)) });
      let e = 0;
      let c = 0;
      let a = 0;
      let l = 0;
      for (const line of readFileSync(projectPath(b.file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const row = JSON.parse(line) as { q: string; kind: string; expect?: string[] };
        if (row.kind.startsWith('intent_')) continue;
        const d = index.decide(row.q);
        const declined = d.kind === 'elsewhere';
        const isAnswerable = (row.expect ?? []).length > 0;
        if (row.kind === 'elsewhere') {
          e++;
          if (declined) c++;
        } else if (isAnswerable) {
          a++;
          if (declined) l++;
        } else if (declined) otherKinds++;
        if (declined) rows.push(JSON.stringify({ bureau: b.bureau, kind: row.kind, answerable: isAnswerable, q: row.q, place: d.place.name }));
        else if (row.kind === 'elsewhere') rows.push(JSON.stringify({ bureau: b.bureau, kind: row.kind, missed: true, q: row.q }));
      }
      print(`| ${b.area} | ${c} / ${e} | ${l} / ${a} |`);
      elsewhere += e;
      caught += c;
      answerable += a;
      lost += l;
    }
    print(`\nall: elsewhere rows declined ${caught} / ${elsewhere}; answerable rows declined as another place ${lost} / ${answerable}; other unanswerable rows declined as another place ${otherKinds}\n`);
    // What reading places costs per message: `decide` on the first bureau's base (its written rows, one warm-up pass
    // then three timed passes), with the jurisdiction (the shipped role model) and without, in this run.
    const first = writtenBureaus()[0]!;
    const kb = await loadKnowledge(projectPath(first.knowledge));
    const qs = readFileSync(projectPath(first.file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => (JSON.parse(l) as { q: string }).q);
    const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
    for (const [label, index] of [
      ['without jurisdiction', buildIndex(kb.entries, kb.synonyms)],
      ['with jurisdiction', buildIndex(kb.entries, kb.synonyms, { jurisdiction: createJurisdiction(first) })],
    ] as const) {
      for (const q of qs) index.decide(q);
      const times = [...qs, ...qs, ...qs].map((q) => {
        const t = performance.now();
        index.decide(q);
        return performance.now() - t;
      });
      print(`decide on ${first.area} (${kb.entries.length} entries, ${qs.length} messages × 3), ${label}: p50 ${pct(times, 50).toFixed(3)} ms, p99 ${pct(times, 99).toFixed(3)} ms`);
    }
    if (process.env.JURISDICTION_ROWS) writeFileSync(process.env.JURISDICTION_ROWS, rows.join('\n') + '\n');
  },
};

export default bench;
