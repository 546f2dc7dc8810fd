import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';

describe('STAFF_LOCALE', () => {
  it('is Simplified Chinese unless set, whatever the parents default to', () => {
    expect(parseConfig({}).STAFF_LOCALE).toBe('zh');
    expect(parseConfig({ DEFAULT_LOCALE: 'en' }).STAFF_LOCALE).toBe('zh');
    expect(parseConfig({ STAFF_LOCALE: 'zh-CN' }).STAFF_LOCALE).toBe('zh');
  });

  it('takes en, leaving the parents default alone', () => {
    const config = parseConfig({ STAFF_LOCALE: 'en' });
    expect(config.STAFF_LOCALE).toBe('en');
    expect(config.DEFAULT_LOCALE).toBe('zh');
  });

  it('refuses any other value with one line naming the variable and what is allowed', () => {
    expect(() => parseConfig({ STAFF_LOCALE: 'fr' })).toThrow(
      'Invalid configuration:\n  STAFF_LOCALE: must be zh-CN (Simplified Chinese, the default) or en (English) (got "fr")',
    );
  });
});
