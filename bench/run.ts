import { cpus } from 'node:os';

/**
 * `npm run bench [-- name ...]`: runs the benchmark modules listed in
 * `modules` (all, or those named) and prints their Markdown tables with the
 * machine they ran on. Add a module: one file in bench/ exporting
 * `default: BenchModule`, one row here. Not a test: nothing fails.
 */
export interface BenchModule {
  /** One line on what it measures. */
  summary: string;
  run(print: (line: string) => void): Promise<void>;
}

const modules: Record<string, () => Promise<{ default: BenchModule }>> = {
  kb: () => import('./kb.js'),
  'kb-sets': () => import('./kb-sets.js'),
  'kb-long': () => import('./kb-long.js'),
  'kb-reload': () => import('./kb-reload.js'),
  engine: () => import('./engine.js'),
  reports: () => import('./reports.js'),
  'telegram-burst': () => import('./telegram-burst.js'),
  load: () => import('./load.js'),
  annual: () => import('./annual.js'),
  scale: () => import('./scale.js'),
  start: () => import('./start.js'),
  'web-chat': () => import('./web-chat.js'),
  intents: () => import('./intents.js'),
  'intents-written': () => import('./intents-written.js'),
  teach: () => import('./teach.js'),
  scope: () => import('./scope.js'),
  'jurisdiction-written': () => import('./jurisdiction-written.js'),
  instances: () => import('./instances.js'),
  'staff-reopen': () => import('./staff-reopen.js'),
  'sqlite-calls': () => import('./sqlite-calls.js'),
};

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu.trim()}, Node ${process.version}, ${process.platform}/${process.arch}`;
}

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !(n in modules));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown bench module(s): ${unknown.join(', ')}. Known: ${Object.keys(modules).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`Machine: ${machine()}\n`);
  for (const name of names.length > 0 ? names : Object.keys(modules)) {
    const mod = (await modules[name]!()).default;
    print(`## ${name}: ${mod.summary}\n`);
    const started = performance.now();
    await mod.run(print);
    print(`\n(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
}

await main(process.argv.slice(2));
