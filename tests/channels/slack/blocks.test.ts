import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseMessage, historyLine, LIMITS, pageLines } from '../../../src/channels/slack/blocks.js';
import { closeModal, discloseModal, extendModal, newCaseModal, replyModal } from '../../../src/channels/slack/modals.js';
import { escapeMrkdwn } from '../../../src/channels/slack/mrkdwn.js';
import { isFromTheFuture } from '../../../src/channels/slack/receiver.js';
import { zonedInstant } from '../../../src/channels/slack/submissions.js';
import type { CaseRecord } from '../../../src/core/cases/types.js';
import { registerSlackCatalog } from '../../../src/core/i18n/slack.js';

const base: CaseRecord = {
  id: 1, code: 'XH-2026-000042', type: 'complaint', channel: 'telegram', state: 'received', text: '食堂饭菜不卫生',
  contact: '13812345678', citizenName: null, chatId: '1', citizenRef: null, locale: 'zh', assignee: null, handoff: false,
  sourceMessageId: null, receivedAt: '2026-11-27T01:00:00.000Z', claimedAt: null, deadlineOn: '2026-12-11',
  deadlineEstimated: false, extended: false, extensionReason: null, repliedAt: null, closedAt: null, closeNote: null,
  unreachable: false, createdAt: '2026-11-27T01:00:00.000Z', updatedAt: '2026-11-27T01:00:00.000Z',
};
const view = { locale: 'zh' as const, timeZone: 'Asia/Shanghai', now: new Date('2026-11-28T02:00:00Z'), workingDaysBetween: () => 9 };
type AnyBlock = { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { value?: string }[] };

describe('Slack blocks and modals', () => {
  beforeAll(() => registerSlackCatalog());

  it('shows what staff need and escapes the citizen text', () => {
    // The outcome is the shared verdict caseViewOf reads from storage (case-outcome.ts); the card words it.
    const { text, blocks } = caseMessage({ ...base, text: 'A & B <!channel> <@U1> <https://evil|点我>' }, { ...view, outcome: 'open' });
    expect(text).toBe('案件 XH-2026-000042（投诉）：待认领');
    const json = JSON.stringify(blocks);
    expect(json).toContain('A &amp; B &lt;!channel&gt; &lt;@U1&gt; &lt;https://evil|点我&gt;');
    expect(json).toContain('*办理期限*\\n2026-12-11（剩 9 个工作日）');
    const card = (outcome: 'openOverdue' | 'awaitingClose' | 'late') => JSON.stringify(caseMessage(base, { ...view, outcome }).blocks);
    expect(card('openOverdue')).toContain('*办理期限*\\n2026-12-11（已超期 9 个工作日）');
    expect(card('awaitingClose')).toContain('*办理期限*\\n2026-12-11（已按期答复，待办结）');
    expect(card('late')).toContain('*办理期限*\\n2026-12-11（逾期答复，待办结）');
    expect(JSON.stringify(caseMessage(base, view).blocks)).toContain('*办理期限*\\n2026-12-11"');
    expect(json).toContain('*联系方式*\\n138****5678');
    expect(json).toContain('*收到时间*\\n2026-11-27 09:00');
  });

  it('keeps every case message within Block Kit limits, whatever the citizen wrote', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8000 }), fc.string({ maxLength: 600 }), (text, reason) => {
        const { blocks } = caseMessage({ ...base, text, extended: true, extensionReason: reason || null, state: 'extended', assignee: 'slack:U1' }, view);
        expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
        for (const b of blocks as AnyBlock[]) {
          if (b.text) expect(Array.from(b.text.text).length).toBeLessThanOrEqual(LIMITS.sectionText);
          for (const e of b.elements ?? []) expect((e.value ?? '').length).toBeLessThanOrEqual(LIMITS.buttonValue);
        }
        expect(JSON.stringify(blocks)).not.toMatch(/<!(channel|here|everyone)>/);
      }),
      { numRuns: 200 },
    );
  });

  it('pages long lists: ≤ 50 blocks per message, ≤ 3000 characters per section, nothing lost', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `第${i}行 ${'内容'.repeat(60)}`);
    const pages = pageLines(lines, '标题');
    for (const page of pages) {
      expect(page.length).toBeLessThanOrEqual(50);
      for (const b of page as AnyBlock[]) expect(Array.from(b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    }
    const all = pages.flatMap((p) => (p as AnyBlock[]).slice(1).map((b) => b.text?.text ?? '')).join('\n');
    expect(all.split('\n')).toEqual(lines);
  });

  it('writes one history line per event, masking and escaping the note', () => {
    const line = historyLine(
      { id: 1, caseId: 1, at: '2026-11-28T01:30:00.000Z', actor: 'slack:U7', kind: 'reply', fromState: 'claimed', toState: 'replied', note: '请拨打 024-42842001 <!here>' },
      view,
    );
    expect(line).toBe('2026-11-28 09:30 <@U7> 已回复市民：请拨打 024-****01 &lt;!here&gt;');
  });

  it('keeps modal titles within 24 characters in both languages', () => {
    for (const locale of ['zh', 'en'] as const) {
      const views = [replyModal(base, locale), extendModal(base, locale), closeModal({ ...base, type: 'disclosure' }, locale), newCaseModal(locale, view.now, 'Asia/Shanghai'), discloseModal(locale, view.now, 'Asia/Shanghai')];
      for (const v of views) expect(Array.from(v.title.text).length).toBeLessThanOrEqual(LIMITS.modalTitle);
    }
  });

  it('escapes only & < > for mrkdwn', () => {
    expect(escapeMrkdwn(`"它's" & <b>`)).toBe(`"它's" &amp; &lt;b&gt;`);
  });

  it('converts a wall-clock time in the bureau time zone to the instant', () => {
    expect(zonedInstant('2026-11-02', '10:30', 'Asia/Shanghai').toISOString()).toBe('2026-11-02T02:30:00.000Z');
    expect(zonedInstant('2026-07-01', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
  });

  it('flags timestamps more than 5 minutes in the future, and only those', () => {
    const req = (ts: string) => ({ headers: { 'x-slack-request-timestamp': ts } }) as unknown as IncomingMessage;
    const now = 1_764_300_000_000;
    expect(isFromTheFuture(req('1764300300'), now)).toBe(false);
    expect(isFromTheFuture(req('1764300301'), now)).toBe(true);
    expect(isFromTheFuture(req('1764290000'), now)).toBe(false); // stale: Bolt rejects it
    expect(isFromTheFuture(req('abc'), now)).toBe(false); // malformed: Bolt rejects it
  });
});
