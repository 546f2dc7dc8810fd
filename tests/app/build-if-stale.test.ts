import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProject, sourceFiles, staleReason, tableSources } from '../../scripts/build.mjs';
import { projectPath } from '../../src/project-root.js';

/**
 * `npm start` builds only when dist/ is stale (scripts/build.mjs). A throwaway project with two sources,
 * compiled by the real esbuild, and a stand-in for jieba's files; the precompile step is a recorder that writes one table.
 * Staleness is by content hash, so nothing here depends on timestamps or on how fast the build is.
 */
let root: string;
let precompiled: number;
const table = () => join(root, 'node_modules', '.cache', 'table.bin');
const precompileStandIn = () => {
  precompiled++;
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  writeFileSync(table(), 'table');
  return [table()];
};
const start = () => buildProject(root, { ifStale: true, precompile: precompileStandIn });
const write = (path: string, text: string) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'civicdesk-build-'));
  precompiled = 0;
  write('package.json', '{"type":"module"}');
  write('tsconfig.json', '{}');
  write('src/main.ts', 'export const answer: number = 42;\n');
  write('jobs/digest.ts', "export const name: string = 'digest';\n");
  write('node_modules/@node-rs/jieba/package.json', '{"name":"@node-rs/jieba"}');
  write('node_modules/@node-rs/jieba/dict.txt', '户口 4 n\n');
  write('node_modules/@node-rs/jieba/idf.txt', '户口 9.1\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('npm start builds only a stale tree', () => {
  it('builds a tree never built, then not again while nothing changed', async () => {
    expect(staleReason(root)).toBe('no build yet');
    expect(await start()).toEqual({ built: true, reason: 'no build yet' });
    expect(readFileSync(join(root, 'dist/src/main.js'), 'utf8')).toContain('answer = 42');
    expect(precompiled).toBe(1);
    expect(staleReason(root)).toBeNull();
    expect(await start()).toEqual({ built: false, reason: 'up to date' });
    expect(precompiled).toBe(1);
  });

  it('rebuilds after a source is edited, and the edit is in dist', async () => {
    await start();
    write('src/main.ts', 'export const answer: number = 43;\n');
    expect(await start()).toEqual({ built: true, reason: 'sources changed since the last build' });
    expect(readFileSync(join(root, 'dist/src/main.js'), 'utf8')).toContain('answer = 43');
    expect(await start()).toMatchObject({ built: false });
  });

  it('rebuilds for a new source file, a renamed one, tsconfig.json or another jieba dictionary', async () => {
    await start();
    const changes = [
      () => write('jobs/reminders.ts', 'export const n = 1;\n'),
      () => {
        rmSync(join(root, 'jobs/reminders.ts'));
        write('jobs/reminders-renamed.ts', 'export const n = 1;\n');
      },
      () => write('tsconfig.json', '{"compilerOptions":{"target":"ES2022"}}'),
      () => write('node_modules/@node-rs/jieba/dict.txt', '户口 4 n\n户口簿 3 n\n'),
    ];
    for (const change of changes) {
      change();
      expect(staleReason(root)).toBe('sources changed since the last build');
      expect((await start()).built).toBe(true);
      expect(staleReason(root)).toBeNull();
    }
    expect(readFileSync(join(root, 'dist/jobs/reminders-renamed.js'), 'utf8')).toContain('n = 1');
  });

  it('rebuilds when an output is gone: a compiled module or a precompiled table', async () => {
    await start();
    unlinkSync(join(root, 'dist/jobs/digest.js'));
    expect(staleReason(root)).toBe('dist/jobs/digest.js is missing');
    expect((await start()).built).toBe(true);
    rmSync(table());
    expect(staleReason(root)).toBe('node_modules/.cache/table.bin is missing');
    expect((await start()).built).toBe(true);
    expect(precompiled).toBe(3);
  });

  it('`npm run build` (no --if-stale) always builds', async () => {
    await start();
    expect(await buildProject(root, { precompile: precompileStandIn })).toEqual({ built: true, reason: 'asked to build' });
  });

  it('a source that does not compile fails the start and leaves the tree stale', async () => {
    await start();
    write('src/main.ts', 'export const answer = ;\n');
    await expect(start()).rejects.toThrow(/Build failed/);
    expect(staleReason(root)).toBe('sources changed since the last build');
  });
});

describe('the real project', () => {
  it('hashes the dictionary and IDF list the segmenter and the term weights read', () => {
    const sources = tableSources(projectPath());
    expect(sources.map((p) => p.slice(p.lastIndexOf('/') + 1))).toEqual(['dict.txt', 'idf.txt']);
    expect(sources.every((p) => existsSync(p))).toBe(true);
    expect(sourceFiles(projectPath())).toEqual(expect.arrayContaining(['src/main.ts', 'src/knowledge/precompile.ts', 'jobs/index.ts']));
  });
});
