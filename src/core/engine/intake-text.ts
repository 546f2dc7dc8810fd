import { t } from '../i18n/index.js';
import '../i18n/intake.js';
import type { TurnContext } from './context.js';

/** A text of the `intake` catalogue in the chat's language, with the bureau's phone filled in. */
export function tk(ctx: TurnContext, key: string, params: Record<string, string | number> = {}): string {
  return t(ctx.locale, `intake.${key}`, { phone: ctx.deps.config.BUREAU_PHONE, ...params });
}
