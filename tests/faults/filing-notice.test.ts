import { describe, expect, it } from 'vitest';
import { createEngineStack, parent } from './helpers/engine-stack.js';

/**
 * Found by the SIGKILL burst test: a parent filing over Telegram received two messages for one
 * filing — the engine's reply "已登记，编号 …（投诉）。答复期限：…" (queued by the Telegram
 * handler) and the case desk's own outbox message "您的投诉已登记，编号 …。我们将在…前答复您。"
 * — because submitFiling (src/core/engine/filing.ts) called cases.file without
 * `notifyCitizen: false`. Fixed; this keeps it fixed.
 */
describe('filing notice over a live channel', () => {
  it('announces a case filed in chat once (the engine reply), not also through the outbox', async () => {
    const { engine, db } = await createEngineStack();
    const base = { channel: 'telegram' as const, chatId: '424242', userId: '424242' };
    const p = parent({ handle: (incoming) => engine.handle({ ...incoming, ...base }) }, base.chatId);
    const askContent = await p.press(await p.command('case'), 'case-type', (b) => b.type === 'complaint');
    expect(askContent).toHaveLength(1);
    const filed = await p.press(await p.press(await p.say('彩屯小学食堂每月多收伙食费两百元。'), 'skip'), 'confirm');
    expect(filed[0]?.text).toMatch(/^已登记，编号 XH-2026-000001（投诉）/);
    const queued = await db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'telegram' AND address = ?", [base.chatId]);
    expect(queued.map((r) => r.payload)).toEqual([]);
  });
});
