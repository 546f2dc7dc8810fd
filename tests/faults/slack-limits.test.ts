import { beforeAll, describe, expect, it } from 'vitest';
import { caseMessage, LIMITS } from '../../src/channels/slack/blocks.js';
import { citizenText } from '../../src/channels/slack/mrkdwn.js';
import type { CaseRecord } from '../../src/core/cases/types.js';
import { registerSlackCatalog } from '../../src/core/i18n/slack.js';

/**
 * Citizen text longer than one Slack section (3,000 characters), or text that escaping lengthens
 * (`&` → `&amp;`): the case card must stay postable (Slack refuses a longer section with invalid_blocks,
 * and the card would never reach staff) and show every character the citizen wrote.
 */
const base: CaseRecord = {
  id: 1, code: 'XH-2027-000042', type: 'petition', channel: 'phone', state: 'received', text: '',
  contact: null, citizenName: null, chatId: null, citizenRef: null, locale: 'zh', assignee: null, handoff: false,
  sourceMessageId: null, receivedAt: '2027-06-04T01:00:00.000Z', claimedAt: null, deadlineOn: '2027-07-02',
  deadlineEstimated: true, extended: false, extensionReason: null, repliedAt: null, closedAt: null, closeNote: null,
  unreachable: false, createdAt: '2027-06-04T01:00:00.000Z', updatedAt: '2027-06-04T01:00:00.000Z',
};
const view = { locale: 'zh' as const, timeZone: 'Asia/Shanghai', now: new Date('2027-06-05T02:00:00Z'), workingDaysBetween: () => 19 };
type Section = { type: string; text?: { text: string } };
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function textSections(text: string): string[] {
  const { blocks } = caseMessage({ ...base, text }, view);
  for (const b of blocks as Section[]) if (b.text) expect(b.text.text.length, b.text.text.slice(0, 40)).toBeLessThanOrEqual(LIMITS.sectionText);
  expect(blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  // The citizen's sections follow the header and the fields block.
  return (blocks as Section[]).slice(2).filter((b) => b.type === 'section' && b.text).map((b) => b.text!.text);
}

describe('Slack case card: long and escaped citizen text', () => {
  beforeAll(() => registerSlackCatalog());

  it('a 2,000-character complaint made of & < > stays within 3,000 characters per section, and whole', () => {
    const text = 'A&B<C>'.repeat(333) + '结束';
    const sections = textSections(text);
    expect(sections.length).toBeGreaterThan(1);
    expect(unescape(sections.join(''))).toBe(text);
  });

  it('a 3,000-character phone petition typed by staff is shown whole, split at sentence ends', () => {
    const sentence = '我们小区旁边的学校施工噪音很大，孩子晚上无法休息，请领导关心一下这个问题。';
    const text = sentence.repeat(Math.ceil(3000 / sentence.length)).slice(0, 3000);
    const sections = textSections(text);
    expect(sections.join('')).toBe(text);
    expect(sections[0]!.endsWith('。')).toBe(true);
  });

  it('a cut preview (the citizen text in a note) stays within its limit once escaped', () => {
    const cut = citizenText('&'.repeat(1000), 500);
    expect(cut.length).toBeLessThanOrEqual(500);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.startsWith('&amp;&amp;')).toBe(true);
  });
});
