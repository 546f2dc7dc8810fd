import { readFileSync } from 'node:fs';

/**
 * `npm start`'s command, read from package.json so tests and benchmarks run exactly what users run:
 * leading `NAME=value` words (environment for the process, e.g. MALLOC_ARENA_MAX) and the node arguments.
 *
 * @example
 *   parseStartScript('MALLOC_ARENA_MAX=1 node --optimize-for-size dist/src/main.js')
 *   // { env: { MALLOC_ARENA_MAX: '1' }, nodeArgs: ['--optimize-for-size', 'dist/src/main.js'] }
 */
export interface StartCommand {
  env: Record<string, string>;
  /** Arguments for `process.execPath`; null when the script does not run `node` directly. */
  nodeArgs: string[] | null;
}

export function parseStartScript(script: string): StartCommand {
  const words = script.trim().split(/\s+/).filter(Boolean);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  return { env, nodeArgs: words[0] === 'node' ? words.slice(1) : null };
}

export function readStartScript(root = '.'): { script: string; hasBuild: boolean } {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { scripts?: Record<string, string> };
  return { script: pkg.scripts?.start ?? '', hasBuild: Boolean(pkg.scripts?.build) };
}
