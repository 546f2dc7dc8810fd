import { beforeAll, describe, expect, it } from 'vitest';
import { caseMessage, historyLine } from '../../src/channels/slack/blocks.js';
import type { CaseEventRecord, CaseRecord } from '../../src/core/cases/types.js';
import '../../src/core/i18n/jobs.js';
import { registerSlackCatalog } from '../../src/core/i18n/slack.js';
import { renderDigest, type DigestData } from '../../src/core/reports/digest.js';
import { CASE_STATES, type CaseState, type Locale } from '../../src/core/types.js';

/**
 * The staff's word for each case state comes from one catalogue (src/core/i18n/labels.ts): the Slack
 * case message, the Slack thread history and the daily digest must all print the same word, in zh and en.
 * The words are written out here, so a surface that drifts (its own copy of the labels) fails.
 */
const WORDS: Record<Locale, Record<CaseState, string>> = {
  zh: { received: '待认领', claimed: '办理中', replied: '已答复', closed: '已办结', returned: '已退单', extended: '已延期', unreachable: '联系不上', withdrawn: '已撤回', reopened: '已重新办理' },
  en: { received: 'Unclaimed', claimed: 'In progress', replied: 'Replied', closed: 'Closed', returned: 'Returned', extended: 'Extended', unreachable: 'Unreachable', withdrawn: 'Withdrawn', reopened: 'Reopened' },
};

const record: CaseRecord = {
  id: 1, code: 'XH-2026-000042', type: 'complaint', channel: 'telegram', state: 'received', text: '食堂饭菜不卫生',
  contact: null, citizenName: null, chatId: '1', citizenRef: null, locale: 'zh', assignee: null, handoff: false,
  sourceMessageId: null, receivedAt: '2026-11-27T01:00:00.000Z', claimedAt: null, deadlineOn: '2026-12-11',
  deadlineEstimated: false, extended: false, extensionReason: null, repliedAt: null, closedAt: null, closeNote: null,
  unreachable: false, createdAt: '2026-11-27T01:00:00.000Z', updatedAt: '2026-11-27T01:00:00.000Z',
};
const empty = { rows: [], total: 0 };

describe('case-state words staff read: one source, the same on every surface', () => {
  beforeAll(() => registerSlackCatalog());

  it('covers every stored state', () => {
    expect(Object.keys(WORDS.zh).sort()).toEqual([...CASE_STATES].sort());
  });

  for (const locale of ['zh', 'en'] as const)
    it.each([...CASE_STATES])(`${locale}: %s reads the same in the Slack case message, its thread history and the daily digest`, (state) => {
      const word = WORDS[locale][state];
      const view = { locale, timeZone: 'Asia/Shanghai', now: new Date('2026-11-28T02:00:00Z'), workingDaysBetween: () => 9 };
      const fallback = caseMessage({ ...record, state }, view).text;
      expect(fallback.endsWith(locale === 'zh' ? `：${word}` : `: ${word}`)).toBe(true);

      const event = { id: 1, caseId: 1, kind: 'transition', fromState: 'received', toState: state, actor: 'system', note: null, at: '2026-11-27T02:00:00.000Z' } as unknown as CaseEventRecord;
      expect(historyLine(event, view)).toContain(word);

      const filed = { code: 'XH-2026-000043', type: 'inquiry', channel: 'web', state: 'received', text: '转学手续', assignee: null, deadlineOn: null };
      const digest: DigestData = { date: '2026-11-28', newCases: { rows: [filed], total: 1 }, open: [{ state, assignee: null, n: 3 }], dueSoon: empty, overdue: empty, closedYesterday: empty, gaps: [] };
      const text = renderDigest(digest, locale, () => null).map((p) => p.text).join('\n');
      expect(text).toContain(locale === 'zh' ? `${word} · 未分配：3 件` : `${word} · unassigned: 3`);
    });
});
