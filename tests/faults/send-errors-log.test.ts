import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { fakeClock } from '../helpers/telegram-db.js';
import { createTelegramStack, type TelegramStack } from '../helpers/telegram-harness.js';
import { badGateway, botApiError, startRecordingBotApi, type RecordingBotApi } from './helpers/recording-bot-api.js';

/**
 * Review 16, finding 8: a failed Bot API call was logged with the error object, and telegraf's TelegramError carries
 * the request (`on.payload`: chat id and the whole message text), so every 5xx or 400 wrote the message the bot
 * tried to send (a staff reply, a confirm summary) into the log at the default level. Here the real sender meets
 * the errors through the real telegraf client, and the log, as an operator reads it, is checked.
 */
const STAFF_REPLY = '经核实，王老师体罚学生属实，已责令学校处理并向家长道歉。';

let api: RecordingBotApi | undefined;
let telegram: TelegramStack | undefined;
afterEach(async () => {
  await telegram?.close();
  await api?.close();
  api = telegram = undefined;
});

function captureLog() {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), read: () => text };
}

describe('a Bot API error while sending', () => {
  it('is logged with its code and description but without the message text or the request', async () => {
    const log = captureLog();
    api = await startRecordingBotApi();
    const clock = fakeClock();
    telegram = await createTelegramStack({ apiRoot: api.apiRoot, clock, logger: log.logger });
    const filed = await telegram.cases.file({ type: 'complaint', channel: 'telegram', chatId: '930001', text: '孩子被老师体罚。', actor: 'citizen' });
    await telegram.channel.sender.drain();
    await telegram.cases.act(filed.code, { kind: 'claim' }, 'staff:U1');
    await telegram.channel.sender.drain();
    await telegram.cases.act(filed.code, { kind: 'reply', text: STAFF_REPLY }, 'staff:U1');

    api.failWhen(() => badGateway());
    await telegram.channel.sender.drain();
    clock.advance(5 * 60_000);
    api.failWhen(() => botApiError(400, 'Bad Request: message is too long'));
    await telegram.channel.sender.drain();

    // The staff reply was tried both times and failed both times.
    expect(api.failed.filter((f) => f.text.includes(STAFF_REPLY))).toHaveLength(2);
    const lines = log.read().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const failures = lines.filter((l) => typeof l.msg === 'string' && /send failed|refused \(400\)/.test(l.msg));
    expect(failures).toHaveLength(2);
    // What the operator needs is there …
    expect(JSON.stringify(failures)).toContain('Bad Gateway');
    expect(JSON.stringify(failures)).toContain('message is too long');
    // … and nothing of the message or the request.
    expect(log.read()).not.toContain('王老师');
    expect(log.read()).not.toContain('payload');
    expect(failures.every((l) => !('on' in (l.err as object)))).toBe(true);
  });
});
