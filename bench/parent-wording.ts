import { existsSync, readFileSync } from 'node:fs';
import { parseEvalFile } from '../src/knowledge/evaluate.js';
import { buildIndex } from '../src/knowledge/index.js';
import { createJurisdiction } from '../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { CONTEXT, fill, PREFIX, SUFFIX } from '../train/corpus/generate.js';
import { addNoise } from '../train/corpus/noise.js';
import { createRng, type Rng } from '../train/corpus/random.js';
import * as S from '../train/corpus/slots.js';
import { KB_SETS } from './kb-sets.js';
import type { Row } from './train-decision.js';

/**
 * The team's own labelled messages re-worded the way parents type (train/corpus's slots and noise only: a
 * preamble about the family or a greeting, a trailing 谢谢/急/在线等, dialect words, homophone typos, traditional
 * characters, lost punctuation), ranked against their own bureau's base and labelled by the original's expected
 * entries (none: must be declined). Seeded, so the rows are the same on every run. Each copy keeps its bureau, so
 * a model fitted without a bureau never sees its messages in any wording.
 */
export function reword(rng: Rng, q: string, area: string): string {
  const core = q.replace(/[？?。！!]+$/u, '');
  const style = rng.int(3);
  const text =
    style === 0
      ? rng.pick(S.SITUATION) + rng.pick(S.SITUATION_ASK).replace('{q}', core) + rng.pick(S.SITUATION_END)
      : style === 1
        ? `${rng.pick(CONTEXT)}${rng.pick(['请问', '想问', ''])}${core}${rng.pick(SUFFIX)}`
        : `${rng.pick(PREFIX)}${core}${rng.pick(SUFFIX)}`;
  return addNoise(rng, fill(rng, text, area));
}

export async function rewordedRows(copies: number, seed = 20261206): Promise<Row[]> {
  const rng = createRng(seed);
  const rows: Row[] = [];
  for (const set of KB_SETS) {
    if (!set.own || !existsSync(set.file) || set.name.includes('English')) continue;
    const kb = await loadKnowledge(set.dir);
    const index = buildIndex(kb.entries, kb.synonyms, { jurisdiction: createJurisdiction(set.home) });
    for (const c of parseEvalFile(readFileSync(set.file, 'utf8'), set.file)) {
      if (c.intent && c.intent !== 'kb') continue;
      for (let i = 0; i < copies; i++) {
        const e = index.explain(reword(rng, c.q, set.home.area));
        rows.push({ set: `${set.name} reworded`, bureau: set.name.split(' ')[0]!, kbIntent: true, candidate: e.kind === 'candidate', answerable: c.expect.length > 0, right: e.top !== null && c.expect.includes(e.top), x: e.features, score: e.kind !== 'elsewhere' && e.vector ? e.vector.top : null, listed: e.top3.some((id) => c.expect.includes(id)) });
      }
    }
  }
  return rows;
}
