import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, phonePage, withScreenshot, type TestBrowser } from '../../helpers/browser.js';
import { createWebStack, type WebStack } from '../../helpers/web-chat-harness.js';

/**
 * The widget on another site: a bureau page on http://127.0.0.1:P (another
 * origin and site than the chat's http://localhost:Q) loads /chat/widget.js.
 * The chat opens in the iframe only when WEB_CHAT_ORIGINS lists the page's
 * origin (CSP frame-ancestors); otherwise the browser refuses to frame it.
 */
let browser: TestBrowser;
let site: Server;
let siteOrigin: string;
let allowed: WebStack;
let other: WebStack;

beforeAll(async () => {
  site = createServer((req, res) => {
    const chat = new URL(req.url ?? '/', 'http://x').searchParams.get('chat') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>溪湖区教育局</title></head>
<body><h1>溪湖区教育局</h1><script src="http://localhost:${Number(chat)}/chat/widget.js" defer></script></body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  [browser, allowed, other] = await Promise.all([
    launchBrowser(),
    createWebStack({ WEB_CHAT_ORIGINS: siteOrigin }),
    createWebStack({ WEB_CHAT_ORIGINS: 'https://www.example.gov.cn' }),
  ]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([allowed?.close(), other?.close()]);
  site?.closeAllConnections();
  await new Promise((resolve) => site?.close(resolve));
});

/** Opens the bureau page, presses the widget's button and returns the chat frame once it has loaded. */
async function openWidget(page: Page, chat: WebStack): Promise<Frame> {
  await page.goto(`${siteOrigin}/?chat=${chat.port}`);
  const loaded = page.waitForEvent('framenavigated', (frame) => frame !== page.mainFrame());
  await page.getByRole('button', { name: '在线咨询' }).click();
  const frame = await loaded;
  await frame.waitForLoadState('load');
  return frame;
}

describe('the embed widget', () => {
  it('opens a working chat in an iframe on an allowed origin', async () => {
    const page = await phonePage(browser.browser);
    await withScreenshot(page, 'web-embed-allowed', async () => {
      const frame = await openWidget(page, allowed);
      expect(await page.locator('#civicdesk-chat').isVisible()).toBe(true);
      expect(frame.url()).toBe(`${allowed.origin}/chat/?embed=1`);
      await frame.getByLabel('输入您的问题').fill('小学什么时候报名？');
      await frame.getByRole('button', { name: '发送', exact: true }).click();
      await frame.locator('#log .msg.bot .source').first().waitFor();
      expect(await frame.locator('#log .msg.bot .source').first().textContent()).toContain('来源：');
      // The session cookie works inside the cross-site frame (SameSite=None; Partitioned): the history answers.
      const history = await frame.evaluate(() => fetch('/chat/api/messages').then((r) => r.json() as Promise<{ messages: { text: string }[] }>));
      expect(history.messages.map((m) => m.text)).toContain('小学什么时候报名？');
    });
  }, 60_000);

  it('is refused by the browser on an origin that is not allowed', async () => {
    const page = await phonePage(browser.browser);
    await withScreenshot(page, 'web-embed-refused', async () => {
      const frame = await openWidget(page, other);
      expect(frame.url()).not.toContain('/chat/');
      expect(await frame.locator('#input').count()).toBe(0);
    });
  }, 60_000);
});
