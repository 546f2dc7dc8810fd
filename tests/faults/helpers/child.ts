import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Spawns a TypeScript child with tsx; `lines` yields its stdout lines. */
export function spawnTs(script: string, args: string[], env: Record<string, string> = {}): ChildProcess & { stderrText: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return Object.assign(child, { stderrText: () => stderr });
}

/** Resolves with the first stdout line matching `match`; rejects if the child exits first or after `timeoutMs`. */
export function waitForLine(child: ChildProcess & { stderrText: () => string }, match: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail(new Error(`child printed no matching line within ${timeoutMs} ms:\n${child.stderrText()}`)), timeoutMs);
    const onExit = (code: number | null, signal: string | null) => fail(new Error(`child exited (${code ?? signal}) before the line:\n${child.stderrText()}`));
    const fail = (error: Error) => {
      clearTimeout(timer);
      lines.close();
      child.off('exit', onExit);
      reject(error);
    };
    lines.on('line', (line) => {
      if (!match(line)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
      resolve(line);
    });
    child.once('exit', onExit);
  });
}

/** Resolves once the child has exited. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
