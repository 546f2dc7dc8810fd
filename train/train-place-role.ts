import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { roleScore, type PlaceRoleModel } from '../src/knowledge/place-role.js';
import { chooseThreshold, fitRole, heldOutScores, PLACE_ROLE_PATH, roleExamples } from './place-role.js';

/**
 * `npm run train:places`: fits models/place-role.json (is a place named in a message the one asked about, or part
 * of the story?) on the written training messages, the threshold chosen on scores held out by bureau, and prints
 * how the held-out model reads each kind of name. `--check` compares with the committed file.
 */
export function trainPlaceRole(): { model: PlaceRoleModel; report: string } {
  const examples = roleExamples();
  const held = heldOutScores(examples);
  const threshold = chooseThreshold(examples, held);
  const model: PlaceRoleModel = { ...fitRole(examples), threshold };
  const lines = [`${examples.length} places in written messages (${examples.filter((e) => e.asked === 1).length} asked about, ${examples.filter((e) => e.asked === 0).length} in the story); threshold ${threshold} (most held-out examples right)`];
  lines.push('', 'Held out by bureau (each bureau scored by a model fitted without it), at the threshold:', '', '| written as | asked about, read as asked | in the story, read as asked |', '|---|---|---|');
  for (const form of ['full', 'short', 'stem', 'city+area'] as const) {
    const of = examples.map((e, k) => ({ e, s: held[k]! })).filter((x) => x.e.form === form);
    const pos = of.filter((x) => x.e.asked === 1);
    const neg = of.filter((x) => x.e.asked === 0);
    lines.push(`| ${form} | ${pos.filter((x) => x.s >= threshold).length} / ${pos.length} | ${neg.filter((x) => x.s >= threshold).length} / ${neg.length} |`);
  }
  lines.push('', 'Held-out misses:');
  examples.forEach((e, k) => {
    if ((held[k]! >= threshold ? 1 : 0) !== e.asked) lines.push(`- ${e.bureau} ${e.form} ${e.place} (${held[k]!.toFixed(2)}, ${e.asked ? 'asked' : 'story'}): ${e.q.slice(0, 60)}`);
  });
  lines.push('', `in-sample: ${examples.filter((e) => (roleScore(model, e.features) >= threshold ? 1 : 0) === e.asked).length} / ${examples.length} right`);
  return { model, report: lines.join('\n') + '\n' };
}

export const serialisePlaceRole = (model: PlaceRoleModel) =>
  `${JSON.stringify({ version: model.version, threshold: model.threshold, bias: model.bias, weights: {} }).replace(/"weights":\{\}\}$/, '"weights":{\n')}${Object.entries(model.weights)
    .map(([f, w]) => `${JSON.stringify(f)}:${w}`)
    .join(',\n')}\n}}\n`;

function main(): void {
  const { model, report } = trainPlaceRole();
  const text = serialisePlaceRole(model);
  if (process.argv.includes('--check')) {
    const same = existsSync(PLACE_ROLE_PATH) && readFileSync(PLACE_ROLE_PATH, 'utf8') === text;
    process.stdout.write(same ? 'models/place-role.json is what training gives\n' : 'models/place-role.json differs from a retrain: run npm run train:places\n');
    process.exitCode = same ? 0 : 1;
    return;
  }
  writeFileSync(PLACE_ROLE_PATH, text);
  process.stdout.write(report);
}

if (process.argv[1]?.endsWith('train-place-role.ts')) main();
