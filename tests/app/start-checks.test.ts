import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OLDEST_NODE, nodeVersionProblem, sqliteProblem } from '../../scripts/build.mjs';
import { projectPath } from '../../src/project-root.js';

/** `npm start`'s first step (scripts/build.mjs --if-stale) says in one line what a fresh machine lacks. */
describe('npm start on a machine that is not ready', () => {
  it('an old Node: names the version needed and the one found', () => {
    expect(nodeVersionProblem('18.19.0')).toBe(
      "CivicDesk needs Node.js 20.12 or newer; this is Node 18.19.0. Install Node 20 LTS or newer (https://nodejs.org, or your distribution's nodejs package), then run npm install and npm start again.",
    );
    expect(nodeVersionProblem('20.11.1')).toMatch(/^CivicDesk needs Node\.js 20\.12 or newer; this is Node 20\.11\.1\./);
    expect(nodeVersionProblem('20.12.0')).toBeNull();
    expect(nodeVersionProblem('22.0.0')).toBeNull();
  });

  it('the oldest Node it accepts is the one package.json declares', () => {
    const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${OLDEST_NODE.join('.')}`);
  });

  it('sqlite3 without its native module (built without python3/make/g++): says which tools to install and to rebuild', () => {
    const root = mkdtempSync(join(tmpdir(), 'civicdesk-nosqlite-'));
    writeFileSync(join(root, 'package.json'), '{"name":"x","type":"module"}');
    const pkg = join(root, 'node_modules', 'sqlite3');
    mkdirSync(join(pkg, 'lib'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{"name":"sqlite3","main":"lib/sqlite3.js"}');
    // What sqlite3's loader throws when node-gyp never produced build/Release/node_sqlite3.node.
    writeFileSync(join(pkg, 'lib', 'sqlite3.js'), "throw new Error('Could not locate the bindings file. Tried:\\n → build/Release/node_sqlite3.node');");
    expect(sqliteProblem(root)).toBe(
      "The sqlite3 package's native module is missing or was built for another Node (Could not locate the bindings file. Tried:). Install the build tools (Debian/Ubuntu: sudo apt-get install -y python3 make g++; macOS: xcode-select --install), then run npm rebuild sqlite3 (about 90 s).",
    );
    expect(sqliteProblem(projectPath())).toBeNull();
  });
});
