import { createServer, type Server } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route, RouteMethod } from './http-routes.js';

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

const METHODS: readonly RouteMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * The routes with what HTTP says about the other methods on their paths: HEAD of every GET route (Node sends the
 * headers only), so an uptime monitor's `HEAD /healthz` sees the bot up; OPTIONS answered 204 with `Allow` (no CORS
 * grant: the web chat's POST stays same-origin); any other method on a known path 405 with `Allow`, not the 404 of a
 * path that does not exist. Used by this server and for the routes mounted on Bolt's receiver.
 */
export function withMethodAnswers(routes: Route[]): Route[] {
  const out = [...routes];
  const byPath = new Map<string, Set<RouteMethod>>();
  for (const r of routes) byPath.set(r.path, (byPath.get(r.path) ?? new Set<RouteMethod>()).add(r.method));
  for (const r of routes) {
    const methods = byPath.get(r.path)!;
    if (r.method !== 'GET' || r.stream || methods.has('HEAD')) continue;
    out.push({ ...r, method: 'HEAD' });
    methods.add('HEAD');
  }
  for (const [path, methods] of byPath) {
    const allow = [...methods, 'OPTIONS'].join(', ');
    for (const method of METHODS) {
      if (methods.has(method)) continue;
      out.push({
        path,
        method,
        handler: (_req, res) => {
          if (method === 'OPTIONS') return void res.writeHead(204, { allow }).end();
          res.writeHead(405, { allow, 'content-type': 'text/plain; charset=utf-8' });
          res.end('Method not allowed\n');
        },
      });
    }
  }
  return out;
}

/**
 * A plain HTTP server for the ops routes (and the Telegram webhook) when
 * Slack's Bolt receiver is not running; with Slack on, the same routes are
 * mounted as Bolt `customRoutes` on its server instead.
 */
export async function startHttpServer(port: number, routes: Route[], host = '0.0.0.0'): Promise<Server> {
  const all = withMethodAnswers(routes);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = all.find((r) => r.path === path && r.method === req.method);
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
