import type { Locale } from '../types.js';

/**
 * The message catalogue. Every text the bot or the staff desk shows lives in
 * a domain catalogue (`chat`, `cases`, `telegram`, `slack`, `jobs`, ...), each
 * a `{ zh: {...}, en: {...} }` object registered here. Placeholders are
 * `{name}`. A missing key is a bug, so `t` throws rather than showing a key.
 *
 * @example
 *   registerCatalog('cases', { zh: { filed: '已受理，编号 {code}' }, en: { filed: 'Filed as {code}' } });
 *   t('zh', 'cases.filed', { code: 'XH-2026-000001' });
 */
export type Catalog = Record<Locale, Record<string, string>>;

const catalogs = new Map<string, Catalog>();

export function registerCatalog(domain: string, catalog: Catalog): void {
  const zhKeys = Object.keys(catalog.zh).sort().join();
  const enKeys = Object.keys(catalog.en).sort().join();
  if (zhKeys !== enKeys) throw new Error(`i18n: catalogue "${domain}" has different keys in zh and en`);
  catalogs.set(domain, catalog);
}

export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const dot = key.indexOf('.');
  const domain = key.slice(0, dot);
  const template = catalogs.get(domain)?.[locale]?.[key.slice(dot + 1)];
  if (template === undefined) throw new Error(`i18n: no text for "${key}" in ${locale}`);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function hasText(key: string): boolean {
  const dot = key.indexOf('.');
  return catalogs.get(key.slice(0, dot))?.zh?.[key.slice(dot + 1)] !== undefined;
}

/** Every registered catalogue by domain (the untranslated-text check in tests reads them all). */
export function registeredCatalogs(): ReadonlyMap<string, Catalog> {
  return catalogs;
}
