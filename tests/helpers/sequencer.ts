import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that retrain a shipped model and compare its bytes (a whole training run each, the longest
 * single tests of the suite), in the order they start. Vitest orders files by the durations it cached on an
 * earlier run, and without that cache (CI installs node_modules afresh) by file size: intent-model.test.ts is
 * among the smallest files, so it started last and the other worker idled while it ran. Started first, they
 * run beside the rest of the suite.
 */
const RETRAINING = ['tests/knowledge/clauses.test.ts', 'tests/train/intent-model.test.ts', 'tests/knowledge/answer-model.test.ts', 'tests/knowledge/place-role.test.ts'];

const rank = (spec: TestSpecification) => {
  const at = RETRAINING.findIndex((file) => spec.moduleId.endsWith(file));
  return at < 0 ? RETRAINING.length : at;
};

export class RetrainingFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b)); // stable: the rest keep vitest's order
  }
}
