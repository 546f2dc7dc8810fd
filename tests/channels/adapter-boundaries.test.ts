import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../src/channels');

/** Every module specifier a channel's source files import (static and dynamic). */
function importsOf(channel: string): { file: string; from: string }[] {
  const dir = join(ROOT, channel);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => ({ file, from: m[1]! })));
}

describe('adapters share generic code through src/channels/shared, not through each other', () => {
  it.each([
    ['web', ['telegram', 'slack', 'console']],
    ['telegram', ['web', 'slack', 'console']],
  ])('the %s adapter imports nothing from another adapter', (channel, others) => {
    const imports = importsOf(channel);
    expect(imports.some((i) => i.from.startsWith('../shared/'))).toBe(true); // the scan sees the imports
    expect(imports.filter((i) => others.some((o) => i.from.includes(`/${o}/`)))).toEqual([]);
  });
});
