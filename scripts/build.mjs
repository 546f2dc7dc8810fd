// Plain JavaScript on purpose: `npm start` runs this before anything is compiled (no tsx: ~0.4 s to load).
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

/**
 * `npm run build` and `npm start`'s prestart (`--if-stale`). The build compiles every `.ts` file of src/ and
 * jobs/ into dist/ (esbuild, one module per file), runs src/knowledge/precompile.ts (jieba's dictionary and IDF
 * list as binary tables), then writes dist/.build-stamp: a hash of everything the build read and the tables it
 * wrote. With `--if-stale` nothing is built when the stamp still matches: the hash is of file *contents*
 * (not mtimes, so a checkout, an archive or a clock change cannot fool it), and every output must still exist.
 *
 * What the build reads: the sources (paths and contents), tsconfig.json (esbuild reads it), this file (the
 * esbuild options), esbuild's version, and the size and mtime of jieba's dict.txt and idf.txt — the stamp the
 * tables themselves carry (binary-cache.ts), so a reinstalled jieba rebuilds them.
 */
export const SOURCE_DIRS = ['src', 'jobs'];
export const STAMP = join('dist', '.build-stamp');
const FORMAT = 1;

/** Every `.ts` file under src/ and jobs/, relative to `root` with `/`, sorted. */
export function sourceFiles(root) {
  const files = [];
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(join(root, dir))) continue;
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) {
        files.push(relative(root, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join('/'));
      }
    }
  }
  return files.sort();
}

/** The text files the precompiled tables are made from (absolute paths), as resolved from `root`. */
export function tableSources(root) {
  const require = createRequire(join(root, 'package.json'));
  return ['@node-rs/jieba/dict.txt', '@node-rs/jieba/idf.txt'].map((name) => require.resolve(name));
}

/** The version of the esbuild this script compiles with (resolved from here, as its `import('esbuild')` is). */
function esbuildVersion() {
  return JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8')).version;
}

/** A hash of everything the build reads (see above). */
export function inputDigest(root, files = sourceFiles(root)) {
  const hash = createHash('sha256');
  const part = (label, data) => {
    hash.update(`${label}\0${Buffer.byteLength(data)}\0`);
    hash.update(data);
  };
  part('format', String(FORMAT));
  part('script', readFileSync(fileURLToPath(import.meta.url)));
  part('esbuild', esbuildVersion());
  part('tsconfig', existsSync(join(root, 'tsconfig.json')) ? readFileSync(join(root, 'tsconfig.json')) : '');
  for (const file of files) part(`source ${file}`, readFileSync(join(root, file)));
  for (const path of tableSources(root)) {
    const s = statSync(path);
    part(`table source ${path}`, `${s.size} ${s.mtimeMs}`);
  }
  return hash.digest('hex');
}

const outputOf = (file) => join('dist', file.replace(/\.ts$/, '.js'));

/** Why `root` needs a build, or null when dist/ is up to date with its sources. */
export function staleReason(root, files = sourceFiles(root)) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return 'no build yet';
  }
  if (stamp.inputs !== inputDigest(root, files)) return 'sources changed since the last build';
  const missing = [...files.map((f) => join(root, outputOf(f))), ...(stamp.tables ?? [])].find((path) => !existsSync(path));
  return missing === undefined ? null : `${relative(root, missing)} is missing`;
}

async function compile(root, files) {
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: root,
    entryPoints: files,
    outdir: 'dist',
    outbase: '.',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'warning',
  });
}

/** Runs the built precompile step; returns the paths of the tables it keeps. */
async function precompileTables(root) {
  const { precompile } = await import(pathToFileURL(join(root, 'dist', 'src', 'knowledge', 'precompile.js')).href);
  return precompile();
}

/**
 * Builds `root` (always, or with `ifStale` only when `staleReason` says so) and writes the stamp.
 * `precompile` is the step after compiling (injected by tests); it returns the files it keeps.
 */
export async function buildProject(root, { ifStale = false, precompile = precompileTables } = {}) {
  const files = sourceFiles(root);
  const reason = ifStale ? staleReason(root, files) : 'asked to build';
  if (reason === null) return { built: false, reason: 'up to date' };
  // Hashed before building: a file edited while the build runs leaves the stamp stale, so it is built next time.
  const inputs = inputDigest(root, files);
  await compile(root, files);
  const tables = await precompile(root);
  mkdirSync(join(root, 'dist'), { recursive: true });
  const temp = join(root, `${STAMP}.${process.pid}.tmp`);
  writeFileSync(temp, `${JSON.stringify({ inputs, tables })}\n`);
  renameSync(temp, join(root, STAMP));
  return { built: true, reason };
}

/** The oldest Node the bot runs on (package.json `engines`; `process.loadEnvFile`'s parser came in 20.12). */
export const OLDEST_NODE = [20, 12];

/** One line saying what to do when this Node is older than OLDEST_NODE, or null. */
export function nodeVersionProblem(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  if (major > OLDEST_NODE[0] || (major === OLDEST_NODE[0] && minor >= OLDEST_NODE[1])) return null;
  return `CivicDesk needs Node.js ${OLDEST_NODE.join('.')} or newer; this is Node ${version}. Install Node 20 LTS or newer (https://nodejs.org, or your distribution's nodejs package), then run npm install and npm start again.`;
}

/**
 * One line saying what to do when sqlite3's native module did not build (npm install without python3, make and
 * g++ prints node-gyp's pages and leaves the package without it), or null. Without this the start ends in a stack
 * trace from `bindings` ("Could not locate the bindings file").
 */
export function sqliteProblem(root) {
  const require = createRequire(join(root, 'package.json'));
  try {
    // The usual case costs a stat, not loading the module (N-API: a module built once serves every Node version).
    if (existsSync(join(require.resolve('sqlite3/package.json'), '..', 'build', 'Release', 'node_sqlite3.node'))) return null;
    require('sqlite3');
    return null;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return `The sqlite3 package's native module is missing or was built for another Node (${why}). Install the build tools (Debian/Ubuntu: sudo apt-get install -y python3 make g++; macOS: xcode-select --install), then run npm rebuild sqlite3 (about 90 s).`;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const problem = nodeVersionProblem() ?? (process.argv.includes('--if-stale') ? sqliteProblem(root) : null);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  try {
    await buildProject(root, { ifStale: process.argv.includes('--if-stale') });
  } catch (err) {
    process.stderr.write(`Build failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
