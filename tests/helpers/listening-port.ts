import type { ChildProcess } from 'node:child_process';

/**
 * The port a `src/main.ts` child started with PORT=0 listens on, from its "http: /healthz and /metrics
 * listening" log line (LOG_FORMAT=json, LOG_LEVEL info or lower). A port picked before the child starts may be
 * taken by another process meanwhile (tests share the machine); one the OS gives the listening socket cannot.
 * Rejects if the child exits first, with its stderr.
 */
export function listeningPort(child: ChildProcess, stderr: () => string): Promise<number> {
  return portFromOutput(child, stderr, 'the bot exited before listening', (out) => {
    for (const line of out.split('\n')) {
      if (!line.includes('"http: /healthz and /metrics listening"')) continue;
      const port = (JSON.parse(line) as { port?: unknown }).port;
      if (typeof port === 'number' && port > 0) return port;
    }
    return undefined;
  });
}

/** The same for a child that prints "Web chat: http://localhost:PORT/chat/" (any log format or level). */
export function webChatPort(child: ChildProcess, stderr: () => string): Promise<number> {
  return portFromOutput(child, stderr, 'main exited before serving the web chat', (out) => {
    const port = /Web chat: http:\/\/localhost:(\d+)\/chat\//.exec(out)?.[1];
    return port ? Number(port) : undefined;
  });
}

/** Waits until `find` reads a port from the child's stderr so far; rejects with `exited` if the child ends first. */
function portFromOutput(
  child: ChildProcess,
  stderr: () => string,
  exited: string,
  find: (out: string) => number | undefined,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const port = find(stderr());
      if (port !== undefined) return done(() => resolve(port));
      if (child.exitCode !== null || child.signalCode !== null) done(() => reject(new Error(`${exited}:\n${stderr().slice(-3000)}`)));
    };
    const done = (settle: () => void) => {
      child.stderr?.off('data', check);
      child.off('exit', check);
      settle();
    };
    child.stderr?.on('data', check);
    child.once('exit', check);
    check();
  });
}
