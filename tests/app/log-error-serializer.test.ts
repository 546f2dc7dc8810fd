import { Writable } from 'node:stream';
import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { createLogger } from '../../src/logger.js';

/**
 * Review 16, finding 8, on every path (Telegram, Slack, web, jobs log through the same logger): what an error carries
 * besides its message (a request, a body, a payload) never reaches the log line, also when the error is the cause of
 * another; what an operator acts on (type, message, code, the API's answer) does.
 */
const TEXT = '请确认您的诉求：\n内容：我儿子在彩屯小学被王老师体罚，耳朵受伤';

function logged(fields: Record<string, unknown>): string {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  createLogger({ level: 'info', destination }).warn(fields, 'send failed');
  return text;
}

const telegramError = () =>
  new TelegramError({ ok: false, error_code: 502, description: 'Bad Gateway' } as never, { method: 'sendMessage', payload: { chat_id: '42', text: TEXT } } as never);

describe('the logged error', () => {
  it('keeps the Bot API code and description and drops the request it refused', () => {
    const line = logged({ err: telegramError() });
    expect(line).toContain('Bad Gateway');
    expect(line).toContain('"error_code":502');
    expect(line).not.toContain('王老师');
    expect(line).not.toContain('"on"');
  });

  it('drops the request of an error that is the cause of another (an AppError wrapping a send error)', () => {
    const line = logged({ err: new AppError('channel_failed', 'Telegram send failed: 502 Bad Gateway', { cause: telegramError() }) });
    expect(line).toContain('channel_failed');
    expect(line).toContain('Bad Gateway');
    expect(line).not.toContain('王老师');
  });

  it('drops bodies and requests any library hangs on its errors (an HTTP client, a body parser)', () => {
    const httpError = Object.assign(new Error('A request error occurred: socket hang up'), {
      code: 'slack_webapi_request_error',
      original: { config: { data: `channel=C1&text=${encodeURIComponent(TEXT)}` } },
      body: JSON.stringify({ text: TEXT }),
      data: { ok: false, error: 'channel_not_found', message: TEXT },
    });
    const line = logged({ err: httpError });
    expect(line).toContain('slack_webapi_request_error');
    expect(line).toContain('channel_not_found');
    expect(line).not.toContain('王老师');
    expect(line).not.toContain(encodeURIComponent('王老师'));
  });
});
