import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, phonePage, withScreenshot, type TestBrowser } from '../../helpers/browser.js';
import { createWebStack, type WebStack } from '../../helpers/web-chat-harness.js';

/**
 * The web chat behind a reverse proxy (nginx in DEPLOY.md), in a real browser. While the bot restarts, or answers too
 * slowly, the proxy itself answers the page's POST with its own error page (HTML, not the chat's JSON). The parent
 * must read the chat's own sentence in Chinese, with the typed text kept for a resend — never the browser's JSON
 * parser complaining about "<html>", nor "HTTP 502".
 */
let browser: TestBrowser;
let stack: WebStack;
let proxy: Server;
let origin: string;
/** What the proxy answers a POST of a message with instead of passing it on; null: it passes it on. */
let refusal: { status: number; type: string; body: string } | null = null;

const NGINX_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** As nginx with `proxy_set_header Host $host`: the Host the browser used is passed on. */
function forward(req: IncomingMessage, res: ServerResponse) {
  if (refusal && req.method === 'POST' && req.url === '/chat/api/messages') {
    req.resume();
    res.writeHead(refusal.status, { 'content-type': refusal.type }).end(refusal.body);
    return;
  }
  const upstream = request({ host: '127.0.0.1', port: stack.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => res.writeHead(502, { 'content-type': 'text/html' }).end(NGINX_502));
  req.pipe(upstream);
}

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), createWebStack()]);
  proxy = createServer(forward);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(proxy.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await browser?.close();
  await stack?.close();
});

describe('web chat behind a proxy that answers with its own error page', () => {
  it.each([
    ['nginx 502 Bad Gateway (the bot restarting)', { status: 502, type: 'text/html', body: NGINX_502 }],
    ['504 Gateway Time-out as plain text', { status: 504, type: 'text/plain', body: 'upstream request timeout' }],
    ['a 200 whose body is not JSON (a captive portal)', { status: 200, type: 'text/html', body: '<html><body>请先登录 Wi-Fi</body></html>' }],
    ['JSON without the chat\'s message', { status: 503, type: 'application/json', body: '{"error":"unavailable"}' }],
  ])('%s: the parent reads the chat\'s own sentence, the text stays in the box, and the resend is answered', async (_name, answer) => {
    const page = await phonePage(browser.browser);
    await withScreenshot(page, 'web-proxy-errors', async () => {
      refusal = null;
      await page.goto(`${origin}/chat/`);
      const box = page.getByLabel('输入您的问题');
      const status = page.locator('#status');
      refusal = answer;
      await box.fill('孩子几岁可以上小学？');
      await page.getByRole('button', { name: '发送', exact: true }).click();
      await expect.poll(() => status.textContent()).not.toMatch(/^(|正在发送.*)$/);
      expect(await status.textContent()).toBe('发送失败，您的内容还在输入框里，请稍后重试。');
      expect(await box.inputValue()).toBe('孩子几岁可以上小学？');
      refusal = null;
      await page.getByRole('button', { name: '发送', exact: true }).click();
      await page.locator('#log .msg.bot').first().waitFor();
      // The answer may come on the event stream before the POST returns; the box is emptied once the POST has.
      await expect.poll(() => box.inputValue()).toBe('');
      // Sent once: the refused attempt never reached the bot.
      const sent = await page.locator('#log .msg.parent').allTextContents();
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain('孩子几岁可以上小学？');
    });
    await page.context().close();
  });
});
