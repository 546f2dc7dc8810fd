import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/project-root.js';
import { trainAskAct } from '../../train/train-ask-act.js';

describe('npm run train:ask', () => {
  it('retraining gives the same model bytes as models/ask-act.json, with no held-out training petition turned', async () => {
    const corpus = readFileSync(projectPath('train/corpus.jsonl'), 'utf8');
    const trained = await trainAskAct(corpus);
    const shipped = readFileSync(projectPath('models/ask-act.json'), 'utf8');
    expect(trained.model === shipped, 'models/ask-act.json is not what `npm run train:ask` writes from the committed training data').toBe(true);
    const { bar, ceiling } = JSON.parse(shipped) as { bar: number; ceiling: number };
    const at = trained.curve.find((c) => c.bar === bar && c.ceiling === ceiling)!;
    expect(at.petitionsTurned).toBe(0);
    expect(at.kbTurned).toBeGreaterThan(0);
  }, 600_000);
});
