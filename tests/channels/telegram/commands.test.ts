import { describe, expect, it } from 'vitest';
import { botCommands, registerCommands } from '../../../src/channels/telegram/commands.js';
import { createLogger } from '../../../src/logger.js';
import { Writable } from 'node:stream';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
  return { lines, logger: createLogger({ level: 'warn', format: 'json', destination }) };
}

describe('bot commands', () => {
  it('sets the zh menu as default and for zh, and the en menu for en', async () => {
    const calls: unknown[][] = [];
    const ok = await registerCommands({ setMyCommands: async (...args) => void calls.push(args) }, capture().logger);
    expect(ok).toBe(true);
    const extras = calls.map((c) => c[1] as { language_code?: string; scope?: { type: string } } | undefined);
    expect(extras.map((e) => [e?.scope?.type, e?.language_code])).toEqual([
      [undefined, undefined], [undefined, 'zh'], [undefined, 'en'],
      ['all_group_chats', undefined], ['all_group_chats', 'zh'], ['all_group_chats', 'en'],
    ]);
    // Groups: questions only, so the menu offers no filing, status or privacy there.
    expect((calls[3]?.[0] as { command: string }[]).map((c) => c.command)).toEqual(['help']);
    expect(botCommands('zh').map((c) => c.command)).toEqual(['start', 'help', 'case', 'status', 'privacy', 'lang']);
    expect(botCommands('zh')[2]?.description).toBe('提交诉求（投诉、建议、求助等）');
    expect(botCommands('en')[2]?.description).toBe('File a request (complaint, suggestion, help, ...)');
    for (const c of [...botCommands('zh'), ...botCommands('en')]) {
      expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.description.length).toBeGreaterThanOrEqual(3);
      expect(c.description.length).toBeLessThanOrEqual(256);
    }
  });

  it('logs a failing setMyCommands and does not throw', async () => {
    const { lines, logger } = capture();
    const ok = await registerCommands({ setMyCommands: async () => Promise.reject(new Error('500: Internal Server Error')) }, logger);
    expect(ok).toBe(false);
    expect(lines.join('')).toContain('setMyCommands failed');
  });
});
