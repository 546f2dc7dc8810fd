import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A path inside the CivicDesk checkout (rules/, intents/), found from this module's location by walking up
 * to the nearest package.json. Relative URLs would break once `npm run build` moves the code into dist/.
 *
 * @example
 *   projectPath('rules', 'deadline-rules.yaml') // '/srv/civicdesk/rules/deadline-rules.yaml'
 */
let root: string | undefined;

export function projectPath(...segments: string[]): string {
  if (root === undefined) {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
    root = dir;
  }
  return join(root, ...segments);
}
