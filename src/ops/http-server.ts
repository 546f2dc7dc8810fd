import { createServer, type Server } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from './http-routes.js';

/**
 * A route handler whose failure (thrown or rejected) is answered 500 instead of leaving the request without an
 * answer. Used by this server and for the routes mounted on Bolt's receiver, which does not catch a rejection.
 */
export function answerFailures(handler: Route['handler']): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('Internal error\n');
      });
  };
}

/**
 * A plain HTTP server for the ops routes (and the Telegram webhook) when
 * Slack's Bolt receiver is not running; with Slack on, the same routes are
 * mounted as Bolt `customRoutes` on its server instead.
 */
export async function startHttpServer(port: number, routes: Route[], host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path && r.method === req.method);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found\n');
      return;
    }
    answerFailures(route.handler)(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
