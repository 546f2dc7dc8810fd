import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALLBACK_DATA_MAX_BYTES, createCallbackCodec } from '../../../src/channels/telegram/callback-codec.js';
import type { ButtonPayload } from '../../../src/core/types.js';

function memoryStore() {
  const map = new Map<string, string>();
  return { map, save: async (k: string, v: string) => void map.set(k, v), load: async (k: string) => map.get(k) ?? null };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

const samples: ButtonPayload[] = [
  { kind: 'ask', entryId: 'enrol-primary', section: null },
  { kind: 'ask', entryId: 'enrol-primary', section: '报名时间' },
  { kind: 'ask', entryId: 'enrol-primary', section: null, questionId: 4821 },
  { kind: 'ask', entryId: 'enrol-primary', section: '时间|地点', questionId: 7 },
  { kind: 'feedback', messageId: 123456, helpful: true },
  { kind: 'feedback', messageId: 7, helpful: false },
  { kind: 'file-case', messageId: 99 },
  { kind: 'case-type', type: 'complaint' },
  { kind: 'confirm' },
  { kind: 'cancel' },
  { kind: 'confirm', of: 'file', ref: '3f9a0c1e' },
  { kind: 'confirm', of: 'erase' },
  { kind: 'confirm', of: 'withdraw', ref: 'XH-2026-000123' },
  { kind: 'cancel', of: 'withdraw', ref: 'XH-2026-000123' },
  { kind: 'cancel', of: 'object', ref: 'XH-2026-000123' },
  { kind: 'cancel', of: 'file' },
  { kind: 'skip' },
  { kind: 'rate', caseCode: 'XH-2026-000123', value: 5 },
  { kind: 'closed-addition', caseCode: 'XH-2026-000123', choice: 'reopen' },
  { kind: 'closed-addition', caseCode: 'XH-2026-000123', choice: 'new' },
  { kind: 'closed-addition', caseCode: 'XH-2026-000123', choice: 'none' },
  { kind: 'lang', locale: 'en' },
  { kind: 'menu', item: 'human' },
];

describe('callback codec', () => {
  it('round-trips every payload kind within 64 bytes', async () => {
    const codec = createCallbackCodec({ secret: 'TOKEN', store: memoryStore() });
    for (const payload of samples) {
      const data = await codec.encode(payload);
      expect(bytes(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
      expect(await codec.decode(data)).toEqual(payload);
    }
  });

  it('gives confirm buttons of different steps different callback_data', async () => {
    const codec = createCallbackCodec({ secret: 'TOKEN', store: memoryStore() });
    const datas = await Promise.all(
      ([{ kind: 'confirm', of: 'file', ref: 'a1' }, { kind: 'confirm', of: 'erase' }, { kind: 'confirm', of: 'withdraw', ref: 'XH-2026-000001' }, { kind: 'confirm', of: 'withdraw', ref: 'XH-2026-000002' }] as ButtonPayload[]).map((p) => codec.encode(p)),
    );
    expect(new Set(datas).size).toBe(4);
  });

  it('stores payloads that would not fit (long Chinese section names) and sends only a token', async () => {
    const store = memoryStore();
    const codec = createCallbackCodec({ secret: 'TOKEN', store });
    const payload: ButtonPayload = { kind: 'ask', entryId: 'school-district-boundaries', section: '义务教育阶段学校招生划片范围及入学条件说明' };
    const data = await codec.encode(payload);
    expect(bytes(data)).toBeLessThanOrEqual(64);
    expect(data).toMatch(/^k\|/);
    expect(store.map.size).toBe(1);
    expect(await codec.decode(data)).toEqual(payload);
  });

  it('keeps any ask payload under 64 bytes and decodable (property)', async () => {
    const codec = createCallbackCodec({ secret: 'TOKEN', store: memoryStore() });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.option(fc.string({ maxLength: 60 })),
        fc.option(fc.nat(), { nil: undefined }),
        async (entryId, section, questionId) => {
          const payload: ButtonPayload = { kind: 'ask', entryId, section, ...(questionId === undefined ? {} : { questionId }) };
          const data = await codec.encode(payload);
          expect(bytes(data)).toBeLessThanOrEqual(64);
          expect(await codec.decode(data)).toEqual(payload);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects forged, edited, foreign and expired payloads as stale (null)', async () => {
    const store = memoryStore();
    const codec = createCallbackCodec({ secret: 'TOKEN', store });
    const data = await codec.encode({ kind: 'rate', caseCode: 'XH-2026-000123', value: 5 });
    expect(await codec.decode(data.replace('|5.', '|1.'))).toBeNull(); // edited stars, old mac
    expect(await codec.decode('r|XH-2026-000123|5')).toBeNull(); // no mac
    expect(await codec.decode('r|XH-2026-000123|5.AAAAAAAA')).toBeNull(); // forged mac
    const other = createCallbackCodec({ secret: 'OTHER-BOT', store });
    expect(await other.decode(data)).toBeNull(); // another bot's secret
    const long = await codec.encode({ kind: 'ask', entryId: 'x', section: '很长的章节名称'.repeat(5) });
    store.map.clear();
    expect(await codec.decode(long)).toBeNull(); // token purged
    expect(await codec.decode('')).toBeNull();
    expect(await codec.decode('垃圾数据')).toBeNull();
  });

  it('refuses to encode an invalid payload', async () => {
    const codec = createCallbackCodec({ secret: 'TOKEN', store: memoryStore() });
    await expect(codec.encode({ kind: 'rate', caseCode: '', value: 5 })).rejects.toThrow();
  });
});
