import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { browserLocale } from '../../../src/channels/web/inbound.js';
import { chatPage, escapeHtml } from '../../../src/channels/web/page.js';
import { parseButtonRef, safeUrl, toDto } from '../../../src/channels/web/render.js';

const req = (acceptLanguage: string) => ({ headers: { 'accept-language': acceptLanguage } }) as unknown as IncomingMessage;

describe('web chat rendering', () => {
  it('links only absolute http(s) sources', () => {
    expect(safeUrl('https://www.gov.cn/a?b=1')).toBe('https://www.gov.cn/a?b=1');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('/relative')).toBeNull();
    expect(safeUrl(null)).toBeNull();
  });

  it('gives buttons references into the stored line, never their payloads', () => {
    const dto = toDto({
      id: 7,
      role: 'bot',
      createdAt: '2026-11-24T01:30:00.000Z',
      payload: JSON.stringify({ text: '请选择', buttons: [[{ label: '确认提交', payload: { kind: 'confirm' } }]], source: { entryId: 'x', title: 'T', section: null, updated: null, url: 'javascript:x' } }),
    });
    expect(dto.buttons).toEqual([[{ label: '确认提交', ref: '7.0.0' }]]);
    expect(JSON.stringify(dto)).not.toContain('confirm');
    expect(dto.source?.url).toBeNull();
    expect(parseButtonRef('7.0.0')).toEqual({ messageId: 7, row: 0, col: 0 });
    expect(parseButtonRef('7.0')).toBeNull();
    expect(parseButtonRef('7.0.0;drop')).toBeNull();
  });

  it('escapes every text put into the page', () => {
    expect(escapeHtml(`<script>"&'`)).toBe('&lt;script&gt;&quot;&amp;&#39;');
    const html = chatPage({ locale: 'zh', bureau: '</script><script>alert(1)</script>', notice: true, timeZone: 'Asia/Shanghai', embed: false });
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('\\u003c/script>');
  });

  it('reads the browser language by preference weight', () => {
    expect(browserLocale(req('en-US,en;q=0.9,zh-CN;q=0.8'))).toBe('en');
    expect(browserLocale(req('fr-FR,zh-TW;q=0.7,en;q=0.5'))).toBe('zh');
    expect(browserLocale(req('de;q=1,en;q=0'))).toBeUndefined();
    expect(browserLocale(req(''))).toBeUndefined();
  });
});
