import { describe, expect, it } from 'vitest';
import { LOOKUP_MAX_PAGES } from '../../../src/channels/slack/web-client.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { startSlackHarness } from '../../helpers/slack-harness.js';

/**
 * A post Slack took whose answer was lost is looked for before it is made again (staff-desk.ts findLostPost and
 * threadHolds): through every page of a busy case thread or channel, not the first 200 messages only, and within
 * LOOKUP_MAX_PAGES pages (the Web API stub pages with Slack's cursor).
 */
const clockAt = (iso: string) => {
  let now = new Date(iso).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
};

describe('Slack: looking for an earlier post reads every page', () => {
  it('a thread line whose answer was lost, in a thread of 450 messages, is found on page 3 and not posted twice', async () => {
    const clock = clockAt('2026-11-27T02:00:00Z');
    const h = await startSlackHarness({ now: clock.now });
    try {
      const desk = createCaseDesk({ db: h.db, now: clock.now });
      const filed = await desk.file({ type: 'complaint', channel: 'phone', text: '家长来电：校车司机超速。', actor: 'console' });
      expect(await h.slack.staffDesk.drainOnce()).toBe(1);
      const card = h.stub.posted.find((m) => !m.thread_ts)!;
      // Staff discussed the case in its thread: 450 messages before our next line.
      for (let i = 0; i < 450; i++) h.stub.posted.push({ channel: card.channel, ts: `1764300500.${String(i).padStart(6, '0')}`, thread_ts: card.ts, text: `讨论 ${i}` });
      await desk.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
      expect(await h.slack.staffDesk.drainOnce()).toBe(1);
      await desk.act(filed.code, { kind: 'reply', text: '已电话告知家长：校车司机已停岗培训。', via: '电话' }, 'slack:USTAFF1');
      h.stub.loseAnswers('chat.postMessage', 1, 504); // Slack keeps the line; the bot sees a 504
      expect(await h.slack.staffDesk.drainOnce()).toBe(0);
      clock.advance(60_000);
      expect(await h.slack.staffDesk.drainOnce()).toBe(1);
      const lines = h.stub.posted.filter((m) => m.thread_ts === card.ts && String(m.text).includes('校车司机已停岗培训'));
      expect(lines).toHaveLength(1);
      // The thread (card + 450 + our 2 lines) is 3 pages of 200: the retry read on with the cursor.
      expect(h.stub.callsOf('conversations.replies').some((c) => c.body.cursor)).toBe(true);
      const states = await h.db.all<{ state: string }>("SELECT state FROM outbox WHERE target = 'staff' ORDER BY id");
      expect(states.every((r) => r.state === 'sent')).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('a case card whose answer was lost, under 300 later channel posts, is found and not posted again', async () => {
    const clock = clockAt('2026-11-27T02:00:00Z');
    const h = await startSlackHarness({ now: clock.now });
    try {
      const desk = createCaseDesk({ db: h.db, now: clock.now });
      const filed = await desk.file({ type: 'complaint', channel: 'phone', text: '家长来电：食堂卫生差。', actor: 'console' });
      h.stub.loseAnswers('chat.postMessage', 1, 503);
      expect(await h.slack.staffDesk.drainOnce()).toBe(0);
      const card = h.stub.posted.find((m) => !m.thread_ts)!;
      for (let i = 0; i < 300; i++) h.stub.posted.push({ channel: card.channel, ts: `1764300900.${String(i).padStart(6, '0')}`, text: `频道消息 ${i}` });
      clock.advance(5_000);
      expect(await h.slack.staffDesk.drainOnce()).toBe(1);
      expect(h.stub.posted.filter((m) => !m.thread_ts && JSON.stringify(m.metadata ?? {}).includes(filed.code))).toHaveLength(1);
    } finally {
      await h.close();
    }
  });

  it(`stops after ${LOOKUP_MAX_PAGES} pages of a cursor that never ends, and posts the line`, async () => {
    const clock = clockAt('2026-11-27T02:00:00Z');
    const h = await startSlackHarness({ now: clock.now });
    try {
      const desk = createCaseDesk({ db: h.db, now: clock.now });
      const filed = await desk.file({ type: 'complaint', channel: 'phone', text: '家长来电：操场噪音。', actor: 'console' });
      expect(await h.slack.staffDesk.drainOnce()).toBe(1);
      await desk.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
      h.stub.override('chat.postMessage', () => ({ status: 502, json: { ok: false, error: 'bad_gateway' } }), 1); // not taken
      await h.slack.staffDesk.drainOnce();
      h.stub.override('conversations.replies', () => ({ json: { ok: true, messages: [], has_more: true, response_metadata: { next_cursor: 'again' } } }), 1000);
      clock.advance(60_000);
      const readsBefore = h.stub.callsOf('conversations.replies').length;
      expect(await h.slack.staffDesk.drainOnce()).toBe(1);
      expect(h.stub.callsOf('conversations.replies').length - readsBefore).toBe(LOOKUP_MAX_PAGES);
      const card = h.stub.posted.find((m) => !m.thread_ts)!;
      expect(h.stub.posted.filter((m) => m.thread_ts === card.ts)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
