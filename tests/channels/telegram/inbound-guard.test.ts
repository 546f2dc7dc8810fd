import { describe, expect, it } from 'vitest';
import { createChatQueue, createFloodGuard, sanitizeText } from '../../../src/channels/shared/inbound-guard.js';
import { isAddressedToBot } from '../../../src/channels/telegram/inbound-guard.js';

describe('flood guard', () => {
  it('answers 20 a minute, sends one notice on the 21st, then ignores until calm; other chats unaffected', () => {
    const guard = createFloodGuard();
    const t0 = 1_000_000;
    const verdicts = Array.from({ length: 25 }, (_, i) => guard.hit('A', t0 + i * 1000));
    expect(verdicts.slice(0, 20).every((v) => v === 'ok')).toBe(true);
    expect(verdicts[20]).toBe('notice');
    expect(verdicts.slice(21)).toEqual(['ignore', 'ignore', 'ignore', 'ignore']);
    expect(guard.hit('B', t0 + 24_000)).toBe('ok');
    // A stays quiet for a minute: calm again
    expect(guard.hit('A', t0 + 24_000 + 60_001)).toBe('ok');
  });

  it('does not count a chat that keeps just under the limit', () => {
    const guard = createFloodGuard();
    const verdicts = Array.from({ length: 100 }, (_, i) => guard.hit('A', i * 3001));
    expect(verdicts.every((v) => v === 'ok')).toBe(true);
  });
});

describe('sanitizeText', () => {
  it('removes control and bidi characters but keeps Chinese, tabs and newlines', () => {
    expect(sanitizeText('\u0000请问\u0007\r\n学区\u202E划分\u200B？\t')).toBe('请问\n学区划分？');
  });
  it('cuts text over 4096 characters without breaking a surrogate pair', () => {
    const long = '😀'.repeat(5000);
    const out = sanitizeText(long);
    expect(Array.from(out)).toHaveLength(4096);
    expect(out.endsWith('😀')).toBe(true);
  });
});

describe('isAddressedToBot', () => {
  const facts = { chatType: 'group', text: '', botUsername: 'XihuEduBot', isCommand: false, repliesToBot: false };
  it('always answers in private chats', () => {
    expect(isAddressedToBot({ ...facts, chatType: 'private', text: '你好' })).toBe(true);
  });
  it('in groups answers commands, mentions and replies only', () => {
    expect(isAddressedToBot({ ...facts, text: '大家好' })).toBe(false);
    expect(isAddressedToBot({ ...facts, text: '@xihuedubot 几号报名' })).toBe(true);
    expect(isAddressedToBot({ ...facts, text: '/help', isCommand: true })).toBe(true);
    expect(isAddressedToBot({ ...facts, text: '/help@XihuEduBot', isCommand: true })).toBe(true);
    expect(isAddressedToBot({ ...facts, text: '/help@OtherBot', isCommand: true })).toBe(false);
    expect(isAddressedToBot({ ...facts, text: '谢谢', repliesToBot: true })).toBe(true);
    expect(isAddressedToBot({ ...facts, chatType: 'channel', text: '@XihuEduBot' })).toBe(false);
  });
});

describe('createChatQueue', () => {
  it('runs one chat in arrival order while other chats go ahead', async () => {
    const inOrder = createChatQueue();
    const log: string[] = [];
    let releaseA1: () => void = () => undefined;
    const a1 = inOrder('A', () => new Promise<void>((resolve) => (releaseA1 = () => (log.push('A1'), resolve()))));
    const a2 = inOrder('A', async () => void log.push('A2'));
    const b1 = inOrder('B', async () => void log.push('B1'));
    await b1;
    expect(log).toEqual(['B1']); // A2 waits behind the slow A1
    releaseA1();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['B1', 'A1', 'A2']);
  });

  it('keeps going after a failed update', async () => {
    const inOrder = createChatQueue();
    await expect(inOrder('A', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await inOrder('A', async () => 'next')).toBe('next');
  });
});
