import { writeFileSync } from 'node:fs';
import { projectPath } from '../src/project-root.js';
import { generateCorpus } from './corpus/generate.js';

/** `npm run train:corpus`: writes train/corpus.jsonl (seeded; the same bytes every run). */
const rows = await generateCorpus();
writeFileSync(projectPath('train/corpus.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const counts: Record<string, number> = {};
for (const r of rows) counts[r.intent] = (counts[r.intent] ?? 0) + 1;
process.stdout.write(`train/corpus.jsonl: ${rows.length} messages ${JSON.stringify(counts)}\n`);
