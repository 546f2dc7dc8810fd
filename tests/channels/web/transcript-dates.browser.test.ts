import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, withScreenshot, type TestBrowser } from '../../helpers/browser.js';
import { createWebStack, type WebStack } from '../../helpers/web-chat-harness.js';

/**
 * The transcript's times in a real browser: a message of an earlier day shows its date, today's only HH:MM, and
 * "today" is the bureau's day in TIMEZONE (Asia/Shanghai) by the server's clock, not the browser's zone (New York
 * here) nor UTC. The server's clock is set: no verdict depends on the day the suite runs.
 *
 *   yesterday 2026-12-05T15:30Z = 12-05 23:30 Shanghai (12-05 in UTC and in New York)
 *   today     2026-12-05T17:30Z = 12-06 01:30 Shanghai (12-05 in UTC and in New York)
 *   page      2026-12-06T03:00Z = 12-06 11:00 Shanghai (12-05 22:00 in New York)
 * A page reckoning in UTC would date the 01:30 message; one reckoning in the browser's zone would not date 23:30.
 */
const YESTERDAY = Date.UTC(2026, 11, 5, 15, 30);
const TODAY = Date.UTC(2026, 11, 5, 17, 30);
const PAGE_AT = Date.UTC(2026, 11, 6, 3, 0);

let browser: TestBrowser;
let stack: WebStack;
const clock = { at: YESTERDAY };

beforeAll(async () => {
  [browser, stack] = await Promise.all([launchBrowser(), createWebStack({ TIMEZONE: 'Asia/Shanghai' }, { now: () => new Date(clock.at) })]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function newYorkPage(b: Browser, locale: string): Promise<Page> {
  const context = await b.newContext({ viewport: { width: 375, height: 667 }, locale, timezoneId: 'America/New_York' });
  return context.newPage();
}

async function ask(page: Page, words: { input: string; send: string }, text: string): Promise<void> {
  const before = await page.locator('#log .msg.bot').count();
  await page.getByLabel(words.input).fill(text);
  await page.getByRole('button', { name: words.send, exact: true }).click();
  await page.locator('#log .msg.bot').nth(before).waitFor();
}

/** Two questions, at YESTERDAY and TODAY, then the page loaded again at PAGE_AT: the parent's lines' times. */
async function parentTimes(locale: string, words: { input: string; send: string; ok: string }, question: string): Promise<string[]> {
  const page = await newYorkPage(browser.browser, locale);
  return withScreenshot(page, `transcript-dates-${locale}`, async () => {
    clock.at = YESTERDAY;
    await page.goto(`${stack.origin}/chat/`);
    await page.getByRole('button', { name: words.ok }).click();
    await ask(page, words, question);
    clock.at = TODAY;
    await ask(page, words, question);
    clock.at = PAGE_AT;
    await page.reload();
    await page.locator('#log .msg.parent').nth(1).waitFor();
    const times = await page.locator('#log .msg.parent .time').allTextContents();
    await page.context().close();
    return times;
  });
}

describe('web chat transcript times in TIMEZONE', () => {
  it('dates a message of an earlier day ("12月5日 23:30") and shows today\'s as HH:MM', async () => {
    expect(await parentTimes('zh-CN', { input: '输入您的问题', send: '发送', ok: '知道了' }, '孩子几岁可以上小学？')).toEqual(['12月5日 23:30', '01:30']);
  }, 60_000);

  it('writes the date in English on an English page ("Dec 5 23:30")', async () => {
    expect(await parentTimes('en-US', { input: 'Type your question', send: 'Send', ok: 'Got it' }, 'At what age can my child start primary school?')).toEqual(['Dec 5 23:30', '01:30']);
  }, 60_000);
});
