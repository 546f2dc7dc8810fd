import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerCatalog, registeredCatalogs } from '../../../src/core/i18n/index.js';
import '../../../src/core/i18n/errors-text.js';
import '../../../src/core/i18n/chat.js';
import '../../../src/core/i18n/jobs.js';
import '../../../src/core/i18n/telegram.js';
import '../../../src/core/i18n/web.js';
import '../../../src/core/i18n/intake.js';
import '../../../src/cli/kb-search.js';
import { registerSlackCatalog } from '../../../src/core/i18n/slack.js';
import { registerKbCatalog } from '../../../src/channels/slack/kb-catalog.js';
import { annualSlackCatalog } from '../../../src/channels/slack/annual-commands.js';
import { projectPath } from '../../../src/project-root.js';

registerSlackCatalog();
registerKbCatalog();
registerCatalog('annualSlack', annualSlackCatalog);

/**
 * Latin words a Chinese text may carry: product and protocol names, the language switch written in
 * its own language, an environment variable staff are pointed at, the e-mail example.
 */
const ALLOWED_LATIN = new Set(['Telegram', 'Slack', 'English', 'Language', 'Switch', 'to', 'Cookie', 'REOPEN_DAYS', 'YYYY', 'MM', 'DD', 'http', 'https', 'name', 'example', 'com', 'Markdown', 'CSV', 'ID']);

/** Placeholders, Slack emoji codes, `code`, /commands with their words, <links> and mentions are not prose. */
const notProse = (text: string) =>
  text
    .replace(/\{\w+\}/g, '')
    .replace(/:[a-z_]+:/g, '')
    .replace(/`[^`]*`/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/\/[a-z]+(?: [a-z][a-z-]*)*/g, '');

describe('the message catalogues have no untranslated text', () => {
  const all = [...registeredCatalogs()];

  it('reads every catalogue (staff, parents, Slack, jobs, errors, labels)', () => {
    expect(all.map(([d]) => d)).toEqual(expect.arrayContaining(['caseError', 'label', 'staff', 'chat', 'cases', 'slack', 'jobs', 'telegram', 'web', 'intake', 'slackKb', 'annualSlack']));
  });

  it('no Chinese text carries English words', () => {
    const found = all.flatMap(([domain, c]) =>
      Object.entries(c.zh).flatMap(([key, text]) =>
        (notProse(text).match(/[A-Za-z][A-Za-z_]{1,}/g) ?? []).filter((w) => !ALLOWED_LATIN.has(w)).map((w) => `${domain}.${key}: "${w}"`),
      ),
    );
    expect(found).toEqual([]);
  });

  it('no English text is the Chinese one left as it was, and none is empty', () => {
    const found = all.flatMap(([domain, c]) =>
      Object.entries(c.en)
        .filter(([key, text]) => !text.trim() || (text === c.zh[key] && /[\u4e00-\u9fff]/.test(text)))
        .map(([key]) => `${domain}.${key}`),
    );
    expect(found).toEqual([]);
  });

  it('the case desk throws only coded errors (caseError), never a bare English AppError staff would see', () => {
    const dir = projectPath('src', 'core', 'cases');
    const bare = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => (readFileSync(join(dir, f), 'utf8').match(/new AppError\('case_\w+'/g) ?? []).map((m) => `${f}: ${m}`));
    expect(bare).toEqual([]);
  });
});
