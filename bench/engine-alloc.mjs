// Allocation per engine message: `node [flags] bench/engine-alloc.mjs [bench/out/engine-child.mjs]` (run
// `npm run bench -- engine` once first, or bundle bench/engine.ts as it does). V8's sampling heap profiler over one
// round of 6,000 messages after a 2,000-message warm-up, counting the objects minor and major GCs collected: KB
// allocated per message in all and by function (self and inclusive). The round's own set-up (the knowledge index,
// intents, model) is included, ~5 KB a message.
import { Session } from 'node:inspector/promises';
import process from 'node:process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const child = await import(pathToFileURL(resolve(process.argv[2] ?? 'bench/out/engine-child.mjs')).href);
const messages = 6000;
await child.benchEngine({ rounds: 1, messages: 2000, warmup: 2000 });
const session = new Session();
session.connect();
await session.post('HeapProfiler.startSampling', { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
const [round] = await child.benchEngine({ rounds: 1, messages, warmup: 0 });
const { profile } = await session.post('HeapProfiler.stopSampling');

const self = new Map();
const inclusive = new Map();
let total = 0;
const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
const walk = (node, stack) => {
  const key = name(node);
  total += node.selfSize;
  self.set(key, (self.get(key) ?? 0) + node.selfSize);
  const below = stack.includes(key) ? stack : [...stack, key];
  for (const k of below) inclusive.set(k, (inclusive.get(k) ?? 0) + node.selfSize);
  for (const c of node.children) walk(c, below);
};
walk(profile.head, []);
const kb = (bytes) => (bytes / messages / 1024).toFixed(2).padStart(6);
const top = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${kb(v)} KB  ${k}`).join('\n');
process.stdout.write(`${kb(total)} KB allocated per message (round: ${round.cpuMicrosPerMessage} µs CPU a message)\n`);
process.stdout.write(`--- self\n${top(self, 25)}\n--- inclusive\n${top(inclusive, 40)}\n`);
