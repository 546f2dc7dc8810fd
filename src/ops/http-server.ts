import { createServer, type Server } from 'node:http';
import type { Route } from './http-routes.js';

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
    Promise.resolve(route.handler(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
