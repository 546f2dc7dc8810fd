import { readFileSync } from 'node:fs';
import util from 'node:util';
import { AppError } from '../core/errors.js';

/** The settings file `npm start` and `npm run cli` read from the folder they run in (`.env.example` is its template). */
export const DEFAULT_ENV_FILE = '.env';

/** ENV_FILE names another settings file; set empty, none is read (the test suite sets it so, see vitest.config.ts). */
export function envFilePath(env: Record<string, string | undefined>): string | null {
  const named = env.ENV_FILE;
  if (named === undefined) return DEFAULT_ENV_FILE;
  return named.trim() === '' ? null : named.trim();
}

/**
 * Fills `env` from a `.env` file (Node's own dotenv syntax, `util.parseEnv`): only variables the environment leaves
 * unset are taken, so a value set in the shell or the service's EnvironmentFile wins, even an empty one. A missing
 * file is no error (every variable is optional). Returns the names taken from the file.
 */
export function loadEnvFile(path: string, env: Record<string, string | undefined>): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new AppError('config_invalid', `${path}: cannot read the settings file (${code ?? (error as Error).message}): give the service user read access, or remove it and set the variables in the environment.`);
  }
  const taken: string[] = [];
  for (const [name, value] of Object.entries(util.parseEnv(text))) {
    if (env[name] !== undefined || value === undefined) continue;
    env[name] = value;
    taken.push(name);
  }
  return taken;
}

/** The entry points' call: the settings file ENV_FILE names (`.env` in the working folder when unset). */
export function loadWorkingEnvFile(env: Record<string, string | undefined>): string[] {
  const path = envFilePath(env);
  return path ? loadEnvFile(path, env) : [];
}
