import type { ChildProcess } from 'node:child_process';

/**
 * The port a `src/main.ts` child started with PORT=0 listens on, from its "http: /healthz and /metrics
 * listening" log line (LOG_FORMAT=json, LOG_LEVEL info or lower). A port picked before the child starts may be
 * taken by another process meanwhile (tests share the machine); one the OS gives the listening socket cannot.
 * Rejects if the child exits first, with its stderr.
 */
export function listeningPort(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = () => {
      for (const line of stderr().split('\n')) {
        if (!line.includes('"http: /healthz and /metrics listening"')) continue;
        const port = (JSON.parse(line) as { port?: unknown }).port;
        if (typeof port === 'number' && port > 0) return done(() => resolve(port));
      }
      if (child.exitCode !== null || child.signalCode !== null) done(() => reject(new Error(`the bot exited before listening:\n${stderr().slice(-3000)}`)));
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

/** The same for a child that prints "Web chat: http://localhost:PORT/chat/" (any log format or level). */
export function webChatPort(child: ChildProcess, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const port = /Web chat: http:\/\/localhost:(\d+)\/chat\//.exec(stderr())?.[1];
      if (port) return done(() => resolve(Number(port)));
      if (child.exitCode !== null || child.signalCode !== null) done(() => reject(new Error(`main exited before serving the web chat:\n${stderr().slice(-3000)}`)));
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
