import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli.js';

/** Runs `npm run cli -- ARGS` in-process and returns what a user would see. */
export async function runCliCaptured(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdin: new PassThrough(), stdout, stderr, env });
  return { code, out, err };
}
