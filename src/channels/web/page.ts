import { t } from '../../core/i18n/index.js';
import { pageStrings } from '../../core/i18n/web.js';
import type { Locale } from '../../core/types.js';

/**
 * The chat page's HTML (rendered per request in the parent's language, with
 * every inserted text escaped) and the security headers of every page.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON inside <script type="application/json">: "<" escaped so no text can close the element. */
function jsonBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * Strict CSP: only this origin's script, style and connections, no inline
 * script or style, no plugins; frames only from the chat's own origin and the
 * configured embedding origins.
 */
export function securityHeaders(frameOrigins: string[]): Record<string, string> {
  const ancestors = ["'self'", ...frameOrigins].join(' ');
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    ...(frameOrigins.length === 0 ? { 'x-frame-options': 'SAMEORIGIN' } : {}),
  };
}

export interface PageModel {
  locale: Locale;
  bureau: string;
  notice: boolean;
  timeZone: string;
  /**
   * The server's clock when the page is served: "today" of the transcript (a message of an earlier day shows its
   * date) is reckoned from it in TIMEZONE, so neither the browser's zone nor a wrong browser clock decides.
   */
  now?: Date;
  embed: boolean;
}

const htmlLang = (locale: Locale) => (locale === 'zh' ? 'zh-CN' : 'en');

export function chatPage(model: PageModel): string {
  const s = pageStrings(model.locale, model.bureau);
  const config = {
    locale: model.locale,
    notice: model.notice,
    timeZone: model.timeZone,
    now: (model.now ?? new Date()).toISOString(),
    embed: model.embed,
    strings: { zh: pageStrings('zh', model.bureau), en: pageStrings('en', model.bureau) },
  };
  const e = (key: string) => escapeHtml(s[key] ?? '');
  return `<!doctype html>
<html lang="${htmlLang(model.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e('title')}</title>
<link rel="stylesheet" href="/chat/chat.css">
<script src="/chat/chat.js" defer></script>
</head>
<body${model.embed ? ' class="embed"' : ''}>
<header class="top">
<h1 id="title">${e('title')}</h1>
<button type="button" id="lang" lang="${model.locale === 'zh' ? 'en' : 'zh-CN'}" aria-label="${e('switchLabel')}">${e('switch')}</button>
</header>
<section id="notice" class="notice" aria-labelledby="notice-title"${model.notice ? '' : ' hidden'}>
<h2 id="notice-title">${e('noticeTitle')}</h2>
<p id="notice-text">${e('notice')}</p>
<p><a id="notice-privacy" href="/chat/privacy?lang=${model.locale}" target="_blank" rel="noopener">${e('privacy')}</a></p>
<button type="button" id="notice-ok">${e('noticeOk')}</button>
</section>
<main id="main">
<div id="log" class="log" role="log" aria-live="polite" aria-relevant="additions" aria-label="${e('log')}" tabindex="0">
<p class="empty" id="empty">${e('empty')}</p>
</div>
<p id="status" class="status" role="status" aria-live="polite"></p>
<form id="composer" class="composer" novalidate>
<label for="input" class="sr-only" id="input-label">${e('input')}</label>
<textarea id="input" name="text" rows="1" maxlength="2000" placeholder="${e('placeholder')}" autocomplete="off" enterkeyhint="send"></textarea>
<button type="submit" id="send">${e('send')}</button>
</form>
</main>
<footer class="foot">
<button type="button" id="erase" class="link">${e('erase')}</button>
<a id="privacy" href="/chat/privacy?lang=${model.locale}" target="_blank" rel="noopener">${e('privacy')}</a>
</footer>
<script type="application/json" id="cd-config">${jsonBlock(config)}</script>
</body>
</html>
`;
}

/** The privacy text (the engine's own words, with the configured retention days) as a page. */
export function privacyPage(
  locale: Locale,
  bureau: string,
  days: { conversationDays: number; messageDays: number; caseDays: number; sessionDays: number; reopenDays: number },
): string {
  const title = t(locale, 'web.privacy.title');
  const text = t(locale, 'chat.privacy.info', days);
  const notice = t(locale, 'web.page.notice', { bureau });
  return documentPage(
    locale,
    title,
    `<p>${escapeHtml(notice)}</p>
<p>${escapeHtml(text)}</p>
<p>${escapeHtml(t(locale, 'web.privacy.transcript', days))}</p>
<p><a href="/chat/">${escapeHtml(t(locale, 'web.privacy.back'))}</a></p>
`,
  );
}

/** What a parent sees instead of the chat while the database cannot take new sessions or messages (HTTP 503). */
export function unavailablePage(locale: Locale, bureau: string, phone: string): string {
  const title = t(locale, 'web.page.title', { bureau });
  return documentPage(locale, title, `<p>${escapeHtml(t(locale, 'web.unavailable', { phone }))}</p>
`);
}

/** A plain text page in the chat's style (privacy notice, outage): a heading and the given, already escaped, body. */
function documentPage(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${htmlLang(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/chat/chat.css">
</head>
<body class="doc">
<main>
<h1>${escapeHtml(title)}</h1>
${body}</main>
</body>
</html>
`;
}
