import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillTemplate, loadAnnualTemplates } from '../../../../src/core/reports/annual/templates.js';

const ctx = {
  year: 2018,
  petitions: { total: 0, overdue: 0, channelsText: '' },
  proposals: { total: 1, text: '政协委员提案1件' },
};

describe('annual report templates', () => {
  it('fills figures and picks the zero branch so a zero reads 无…/未…', () => {
    const text = `<!-- 说明：{{#if …}} 不会被解析 -->
{{#if petitions.total}}受理{{petitions.total}}件{{#if petitions.overdue}}，超期{{petitions.overdue}}件{{else}}，无超期件{{/if}}。{{else}}本年度未受理群众诉求。{{/if}}

{{#if proposals.total}}本年度共办理
{{proposals.text}}。{{/if}}`;
    expect(fillTemplate('other.md', text, ctx)).toEqual(['本年度未受理群众诉求。', '本年度共办理政协委员提案1件。']);
    const busy = { ...ctx, petitions: { total: 29, overdue: 0, channelsText: '民心网20件' } };
    expect(fillTemplate('other.md', text, busy)[0]).toBe('受理29件，无超期件。');
  });

  it('lists every unknown placeholder and unbalanced block with file:line', () => {
    const text = '第一行{{year}}\n{{#if petitions.totl}}x{{/if}}\n{{proposals.count}}\n{{/if}}';
    expect(() => fillTemplate('reports/annual/other.md', text, ctx)).toThrow(
      'Annual report template errors:\n  reports/annual/other.md:2: unknown placeholder {{petitions.totl}}\n  reports/annual/other.md:3: unknown placeholder {{proposals.count}}\n  reports/annual/other.md:4: {{/if}} without {{#if}}',
    );
  });

  it('names a missing template file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-tpl-'));
    cpSync(join(process.cwd(), 'reports/annual'), dir, { recursive: true });
    rmSync(join(dir, 'problems.md'));
    writeFileSync(join(dir, 'extra.md'), 'ignored');
    expect(() => loadAnnualTemplates(dir)).toThrow(`Annual report templates: ${dir} lacks problems.md; restore them from the repository.`);
  });
});
