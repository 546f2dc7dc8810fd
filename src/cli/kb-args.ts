import { configSchema } from '../config.js';
import { AppError } from '../core/errors.js';
import { createJurisdiction, type Jurisdiction } from '../knowledge/jurisdiction.js';

/**
 * Flags shared by the `kb` subcommands: `--knowledge DIR`, `--json`, and any
 * others a subcommand declares. Unknown flags are a usage error.
 */
export interface KbArgs {
  knowledge: string;
  json: boolean;
  values: Record<string, string>;
  positional: string[];
}

export function parseKbArgs(args: string[], env: Record<string, string | undefined>, valueFlags: string[] = []): KbArgs {
  const out: KbArgs = { knowledge: env.KNOWLEDGE_DIR || 'knowledge', json: false, values: {}, positional: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--json') out.json = true;
    else if (flag === '--knowledge' || valueFlags.includes(flag)) {
      const value = inline ?? args[++i];
      if (value === undefined || value.startsWith('--')) throw new AppError('cli_usage', `${flag} needs a value`);
      if (flag === '--knowledge') out.knowledge = value;
      else out.values[flag.slice(2)] = value;
    } else if (flag.startsWith('--')) throw new AppError('cli_usage', `Unknown option "${flag}"`);
    else out.positional.push(arg);
  }
  return out;
}

/** The bureau's area from BUREAU_AREA / BUREAU_CITY / BUREAU_PROVINCE (defaults as in config.ts), for `kb search/eval/check`. */
export function jurisdictionFrom(env: Record<string, string | undefined>): Jurisdiction {
  const home = configSchema.pick({ BUREAU_AREA: true, BUREAU_CITY: true, BUREAU_PROVINCE: true }).safeParse(env);
  if (!home.success) throw new AppError('cli_usage', `BUREAU_AREA / BUREAU_CITY / BUREAU_PROVINCE: ${home.error.issues[0]?.message ?? 'invalid'}`);
  return createJurisdiction({ area: home.data.BUREAU_AREA, city: home.data.BUREAU_CITY, province: home.data.BUREAU_PROVINCE });
}
