import { describe, expect, it } from 'vitest';
import {
  BUTTONS_PER_ROW,
  escapeAttribute,
  escapeHtml,
  layoutButtons,
  renderReply,
  TELEGRAM_TEXT_LIMIT,
} from '../../../src/channels/telegram/render.js';
import type { Button, Reply } from '../../../src/core/types.js';

const source = { entryId: 'enrol', title: '小学入学报名 <2026>', section: '报名时间 & 材料', updated: '2026-05-10', url: 'https://jyj.example.gov.cn/a?x=1&y="2"' };

/** Every tag opened in a part is closed in the same part. */
function balanced(html: string): boolean {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z]+)[^>]*>/g)) {
    if (m[1] === '') stack.push(m[2] ?? '');
    else if (stack.pop() !== m[2]) return false;
  }
  return stack.length === 0;
}

describe('render', () => {
  it('escapes citizen and knowledge text, and quotes inside attributes', () => {
    expect(escapeHtml('a < b && c > d "q"')).toBe('a &lt; b &amp;&amp; c &gt; d "q"');
    expect(escapeAttribute('x="1"&<')).toBe('x=&quot;1&quot;&amp;&lt;');
    const [part] = renderReply({ text: '<b>不是标签</b> & 家长', heading: '报名 <须知>' }, 'zh');
    expect(part?.html).toBe('<b>报名 &lt;须知&gt;</b>\n\n&lt;b&gt;不是标签&lt;/b&gt; &amp; 家长');
  });

  it('puts the source under the answer: title, section, updated date and link', () => {
    const [zh] = renderReply({ text: '每年5月报名。', source }, 'zh');
    expect(zh?.html).toBe(
      '每年5月报名。\n\n<i>来源：小学入学报名 &lt;2026&gt;（报名时间 &amp; 材料），更新于 2026-05-10</i> ' +
        '<a href="https://jyj.example.gov.cn/a?x=1&amp;y=&quot;2&quot;">查看原文</a>',
    );
    const [en] = renderReply({ text: 'In May.', source: { ...source, section: null, url: null } }, 'en');
    expect(en?.html).toBe('In May.\n\n<i>Source: 小学入学报名 &lt;2026&gt;, updated 2026-05-10</i>');
  });

  it('drops links that are not http(s)', () => {
    const [part] = renderReply({ text: '答', source: { ...source, url: 'javascript:alert(1)' } }, 'zh');
    expect(part?.html).not.toContain('<a ');
  });

  it('splits long answers at paragraph boundaries, every part within 4096 and tags balanced', () => {
    const paragraph = '义务教育阶段入学政策说明，请家长仔细阅读。'.repeat(30); // 630 characters
    const reply: Reply = { heading: '入学政策', text: Array.from({ length: 12 }, () => paragraph).join('\n\n'), source, buttons: [[{ label: '有帮助', payload: { kind: 'confirm' } }]] };
    const parts = renderReply(reply, 'zh');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.html.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(balanced(part.html)).toBe(true);
      expect(part.html.startsWith('\n')).toBe(false);
    }
    // nothing lost: paragraphs reassemble in order
    const visible = parts.map((p) => p.html).join('\n\n');
    expect(visible.split(paragraph).length - 1).toBe(12);
    expect(parts[0]?.html.startsWith('<b>入学政策</b>')).toBe(true);
    expect(parts.at(-1)?.html).toContain('<i>来源：');
    expect(parts.at(-1)?.buttons).toHaveLength(1);
    expect(parts.slice(0, -1).every((p) => p.buttons === undefined)).toBe(true);
  });

  it('splits a single paragraph longer than the limit without cutting an entity or a surrogate pair', () => {
    const text = ('<&>😀家长'.repeat(1000)).slice(0, 5998);
    const parts = renderReply({ text }, 'zh');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.html.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(part.html).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(part.html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
    const unescaped = parts.map((p) => p.html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).join('');
    expect(unescaped).toBe(text);
  });

  it('prefers a sentence end when it has to cut a paragraph', () => {
    const text = `${'家'.repeat(3990)}。${'长'.repeat(500)}`;
    const parts = renderReply({ text }, 'zh');
    expect(parts[0]?.html.endsWith('。')).toBe(true);
  });

  it('keeps the case code on the last part and lays out at most 8 buttons per row', () => {
    const buttons: Button[][] = [Array.from({ length: 11 }, (_, i) => ({ label: `${i + 1}`, payload: { kind: 'confirm' } }))];
    const rows = layoutButtons(buttons);
    expect(rows.map((r) => r.length)).toEqual([BUTTONS_PER_ROW, 3]);
    const many: Button[][] = Array.from({ length: 30 }, () => Array.from({ length: 5 }, () => ({ label: 'x', payload: { kind: 'skip' } })));
    expect(layoutButtons(many).flat()).toHaveLength(100);
    const [part] = renderReply({ text: '已受理', caseCode: 'XH-2026-000001' }, 'zh');
    expect(part?.caseCode).toBe('XH-2026-000001');
  });
});
