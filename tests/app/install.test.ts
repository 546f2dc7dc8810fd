import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
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

/** Every file under `dir` (relative to the project) whose name ends in one of `exts`. */
function filesUnder(dir: string, exts: readonly string[]): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => exts.some((e) => f.endsWith(e)))
    .map((f) => join(root, dir, f));
}

/** The packages a source imports (static, dynamic and `require`), by package name ("@scope/name" or "name"). */
function importedPackages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*|^import\s+)['"]((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w./-]*)?)['"]/gm)].map((m) => m[1]!);
  return specs
    .filter((s) => !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0]!))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

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

/**
 * docs/DEPLOY.md installs with `npm ci --omit=dev`: the bot (`npm start`: the build, then node), its build, `npm run
 * cli` (tsx) and the backup service must need nothing a production install leaves out. (It said `--omit=dev=false`,
 * which npm rejects as an invalid `omit` value and ignores, installing the test tools too.)
 */
describe('a production install (npm ci --omit=dev)', () => {
  const devOnly = (name: string) => lock.packages[`node_modules/${name}`]?.dev === true;

  it('is what docs/DEPLOY.md says to run', () => {
    const deploy = readFileSync(join(root, 'docs/DEPLOY.md'), 'utf8');
    expect(deploy).toMatch(/^sudo npm ci --omit=dev\s/m);
    expect(deploy).not.toContain('--omit=dev=false');
  });

  it('holds every package the bot, its build and the CLI import', () => {
    const sources = [...filesUnder('src', ['.ts']), ...filesUnder('jobs', ['.ts']), join(root, 'scripts/build.mjs')];
    const imported = [...new Set(sources.flatMap(importedPackages))].sort();
    expect(imported).toEqual(expect.arrayContaining(['@slack/bolt', 'esbuild', 'sqlite3', 'telegraf']));
    expect(imported.filter((name) => !lock.packages[`node_modules/${name}`])).toEqual([]);
    expect(imported.filter(devOnly)).toEqual([]);
  });

  it('holds the tools the start, build and cli scripts run', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['start', 'prestart', 'build', 'cli']) {
      const tool = scripts[name]!.replace(/^(?:[A-Z_]+=\S+\s+)*/, '').split(/\s+/)[0]!;
      expect(tool === 'node' || !devOnly(tool), `${name}: ${tool}`).toBe(true);
    }
    expect(devOnly('tsx')).toBe(false);
  });
});
