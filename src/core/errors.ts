/**
 * One error type for the whole app. `code` is machine-readable; `message` is
 * written for the person who has to act on it (an operator, an admin, staff).
 *
 * @example
 *   throw new AppError('config_invalid', 'PORT must be an integer from 1 to 65535 (got "abc")');
 */
export type AppErrorCode =
  | 'config_invalid'
  | 'knowledge_invalid'
  | 'intents_invalid'
  | 'kb_teach'
  | 'storage_failed'
  | 'migration_mismatch'
  | 'case_not_found'
  | 'case_illegal_transition'
  | 'case_invalid'
  | 'calendar_missing'
  | 'rules_invalid'
  | 'cli_usage'
  | 'import_invalid'
  | 'report_unbalanced'
  | 'not_authorized'
  | 'channel_failed'
  | 'internal';

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details?: unknown;

  constructor(code: AppErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }
}

/** Wrap anything thrown by a library into an AppError without losing the cause. */
export function asAppError(error: unknown, code: AppErrorCode = 'internal'): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(code, message, { cause: error });
}

export function isAppError(error: unknown, code?: AppErrorCode): error is AppError {
  return error instanceof AppError && (code === undefined || error.code === code);
}
