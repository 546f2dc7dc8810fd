import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../src/project-root.js';

// semver is npm's own range logic; it is in the tree through several dependencies.
const semver = createRequire(import.meta.url)('semver') as {
  intersects(a: string, b: string): boolean;
  minVersion(range: string): { version: string } | null;
};

interface LockPackage {
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
  dev?: boolean;
}

const root = projectPath();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockPackage>;
};

const packageName = (path: string) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('a clean npm install', () => {
  it('locks no package whose engines exclude the oldest Node the project supports', () => {
    const oldest = semver.minVersion(pkg.engines.node)?.version ?? '';
    expect(oldest).toMatch(/^\d+\./);
    const oldestMajor = `^${oldest}`;
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .filter(([, entry]) => {
        const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return node !== undefined && !semver.intersects(node, oldestMajor);
      })
      .map(([path, entry]) => `${packageName(path)} (node ${(entry.engines as { node: string }).node})`);
    expect(refusing).toEqual([]);
  });

  it('declares every install script in allowScripts, so npm 11 does not skip sqlite3 or esbuild', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript === true)
      .map(([path]) => packageName(path));
    expect(withScripts).toEqual(expect.arrayContaining(['esbuild', 'sqlite3']));
    const allowed = Object.keys(pkg.allowScripts ?? {}).map((key) => key.replace(/(.)@.*$/, '$1'));
    const uncovered = withScripts.filter((name) => !allowed.includes(name));
    expect(uncovered).toEqual([]);
  });

  it('npm itself reports no install script left unreviewed', () => {
    const out = execFileSync('npm', ['install-scripts', 'ls'], { cwd: root, encoding: 'utf8' });
    expect(out).not.toMatch(/not yet covered/);
  });
});
