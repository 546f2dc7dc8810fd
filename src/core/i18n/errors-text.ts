import { AppError, isAppError, type AppErrorCode } from '../errors.js';
import { hasText, t } from './index.js';
import './case-errors.js';
import './cases.js';
import './labels.js';
import './staff.js';
import type { Locale } from '../types.js';

/**
 * What an AppError says to staff, in their language. Core code throws coded errors: `caseError`
 * names a `caseError.*` text (case-errors.ts) and its params; the English text becomes the
 * `message` (logs, developers) and `details.i18n` lets each channel show the staff's locale.
 * Params named `state`, `action`, `allowed` (list of actions), `type`, `field`, `level` (a 复查 / 复核
 * stage) and `reviewOutcome` / `reviewOutcomes` (a 复查 / 复核 outcome, a list of them) are translated here, so the
 * throw sites stay free of display words.
 */
export interface ErrorI18n {
  key: string;
  params: Record<string, string | number | string[]>;
}

export function i18nDetails(key: string, params: ErrorI18n['params'], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...extra, i18n: { key, params } satisfies ErrorI18n };
}

function translated(locale: Locale, name: string, value: string | number | string[]): string {
  const one = (v: string) => {
    const key =
      name === 'state' ? `label.state.${v}`
      : name === 'action' || name === 'allowed' ? `staff.action.${v}`
      : name === 'type' ? `cases.type.${v}`
      : name === 'field' ? `staff.field.${v}`
      : name === 'level' ? `staff.review.level.${v}`
      : name === 'reviewOutcome' || name === 'reviewOutcomes' ? `label.reviewOutcome.${v}`
      : null;
    if (key === null) return v;
    if (hasText(key)) return t(locale, key);
    return name === 'field' ? t(locale, 'staff.field.other') : v;
  };
  // Outcomes are listed as staff type them on one line, 维持/撤销 (the form the Chinese errors have always shown).
  if (Array.isArray(value)) return value.map(one).join(name === 'reviewOutcomes' ? '/' : t(locale, 'staff.listSeparator'));
  return typeof value === 'number' ? String(value) : one(value);
}

function render(locale: Locale, i18n: ErrorI18n): string {
  const params = Object.fromEntries(Object.entries(i18n.params).map(([k, v]) => [k, translated(locale, k, v)]));
  return t(locale, i18n.key, params);
}

/**
 * A coded case error: `key` names a text in the caseError catalogue (zh and en). The message is
 * the English text; staff see their own language through errorText.
 *
 * @example
 *   throw caseError('case_invalid', 'emptyNote', {});
 */
export function caseError(
  code: AppErrorCode,
  key: string,
  params: ErrorI18n['params'],
  extra: Record<string, unknown> = {},
  logMessage?: string,
): AppError {
  const i18n = { key: `caseError.${key}`, params };
  return new AppError(code, logMessage ?? render('en', i18n), { details: i18nDetails(i18n.key, params, extra) });
}

/** The text to show staff for an error; falls back to the English message for errors without i18n details. */
export function errorText(locale: Locale, error: unknown): string {
  if (isAppError(error)) {
    const details = error.details as { i18n?: ErrorI18n } | undefined;
    const i18n = details?.i18n;
    if (i18n && hasText(i18n.key)) return render(locale, i18n);
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
