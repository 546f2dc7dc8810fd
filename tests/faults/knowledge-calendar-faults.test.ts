import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/knowledge/index.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { formatProblem } from '../../src/knowledge/schema.js';
import { createKnowledgeService } from '../../src/knowledge/service.js';
import { silentLogger } from '../../src/logger.js';
import { createEngineStack, parent, tempDir } from './helpers/engine-stack.js';

/**
 * Content faults (issue 9, item 3): a corrupt knowledge file is skipped with a
 * `path:line: message` problem while every other entry still answers; a
 * deadline in a year the holiday calendar lacks is marked estimated with a
 * note the parent can read, not a crash.
 */
const AGE_QUESTION = '孩子2020年8月30号出生，今年能上一年级吗？';
const PHONE_QUESTION = '教育局电话是多少？';

function corruptCopy(): { dir: string; broken: string; garbage: string } {
  const dir = join(tempDir('civicdesk-kb-'), 'knowledge');
  cpSync('knowledge', dir, { recursive: true });
  const broken = join(dir, 'enrollment', 'enrollment-age.md');
  // Unclosed flow sequence in the front matter, then an entry body.
  writeFileSync(broken, '---\nid: enrollment-age\ntitle: 小学一年级入学年龄要求\ncategory: enrollment\nquestions: [能上一年级吗\n---\n\n## 出生日期\n\n8月31日以前出生。\n');
  const garbage = join(dir, 'faq', 'faq-garbage.md');
  writeFileSync(garbage, Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x0a]));
  return { dir, broken, garbage };
}

describe('corrupt knowledge files', () => {
  it('skips each bad file with "path:line: message" and keeps answering from the others', async () => {
    const good = await loadKnowledge('knowledge');
    const { dir, broken, garbage } = corruptCopy();
    const loaded = await loadKnowledge(dir);

    expect([...loaded.skipped].sort()).toEqual([broken, garbage].sort());
    const lines = loaded.problems.map(formatProblem);
    expect(lines.some((l) => l.startsWith(`${broken}:`) && /^.+:\d+: \S/.test(l)), lines.join('\n')).toBe(true);
    expect(lines.some((l) => l.startsWith(`${garbage}:`) && /^.+:\d+: \S/.test(l)), lines.join('\n')).toBe(true);
    expect(loaded.entries.map((e) => e.id)).not.toContain('enrollment-age');
    expect(loaded.entries).toHaveLength(good.entries.length - 1);

    const index = buildIndex(loaded.entries, loaded.synonyms);
    const { engine } = await createEngineStack({ knowledge: { current: () => index } });
    const phone = await parent(engine, 'kb-phone').say(PHONE_QUESTION);
    expect(phone[0]?.heading).toContain('溪湖区教育局联系方式与办公时间');
    expect(phone[0]?.text).toContain('024-42842001');
    // The skipped entry's question is no longer answered from it, but still gets a reply.
    const age = await parent(engine, 'kb-age').say(AGE_QUESTION);
    expect(age.length).toBeGreaterThanOrEqual(1);
    expect(age.map((r) => r.source?.entryId)).not.toContain('enrollment-age');
  });
});

describe('corrupt knowledge file on a live reload', () => {
  it('keeps serving the previous good version of the broken entry, reports path:line, and loads the good edits', async () => {
    const dir = join(tempDir('civicdesk-kb-live-'), 'knowledge');
    cpSync('knowledge', dir, { recursive: true });
    const service = createKnowledgeService({ dir, logger: silentLogger(), today: () => '2026-11-28' });
    await service.reload();
    const { engine } = await createEngineStack({ knowledge: service });
    const before = await parent(engine, 'live-1').say(AGE_QUESTION);
    expect(before[0]?.source?.entryId).toBe('enrollment-age');

    const broken = join(dir, 'enrollment', 'enrollment-age.md');
    writeFileSync(broken, '---\nid: enrollment-age\ntitle: [坏掉的标题\n---\n正文\n');
    const phoneFile = join(dir, 'contact', 'contact-bureau.md');
    writeFileSync(phoneFile, readFileSync(phoneFile, 'utf8').replace('024-42842001（示例号码）', '024-42849999（新号码）'));
    const report = await service.reload();

    expect(report.keptPrevious).toEqual(['enrollment-age']);
    const lines = report.problems.map(formatProblem);
    expect(lines.some((l) => l.startsWith(`${broken}:`) && /^.+:\d+: \S/.test(l)), lines.join('\n')).toBe(true);
    const after = await parent(engine, 'live-2').say(AGE_QUESTION);
    expect(after[0]?.source?.entryId).toBe('enrollment-age');
    expect(after.map((r) => r.text).join('\n')).toBe(before.map((r) => r.text).join('\n'));
    const phone = await parent(engine, 'live-3').say(PHONE_QUESTION);
    expect(phone[0]?.text).toContain('024-42849999（新号码）');
  });
});

describe('a deadline in a year the calendar lacks', () => {
  it('files the case with an estimated deadline and tells the parent it is an estimate', async () => {
    // Monday 2026-12-21, 10:00 Beijing: a 15-working-day deadline reaches into 2027, which
    // chinese-days 1.5.7 and rules/calendar-overrides.yaml do not cover yet.
    const now = () => new Date('2026-12-21T02:00:00Z');
    const { engine, cases } = await createEngineStack({ now });
    expect(cases.calendar.lastKnownYear).toBe(2026);
    const p = parent(engine, 'calendar-chat');
    const askContent = await p.press(await p.command('case'), 'case-type', (b) => b.type === 'complaint');
    expect(askContent).toHaveLength(1);
    const filed = await p.press(await p.press(await p.say('学校寒假补课收费，家长被要求必须参加。'), 'skip'), 'confirm');

    const code = filed.find((r) => r.caseCode)?.caseCode;
    expect(code).toMatch(/^XH-2026-\d{6}$/);
    const record = await cases.get(code!);
    expect(record?.deadlineEstimated).toBe(true);
    expect(record?.deadlineOn?.startsWith('2027-')).toBe(true);
    const [y, m, d] = record!.deadlineOn!.split('-').map(Number);
    expect(filed[0]?.text).toContain(`答复期限：约${y}年${m}月${d}日前（节假日安排尚未公布，为估算）。`);
  });

  it('keeps a deadline inside a known year exact (not estimated)', async () => {
    const { engine, cases } = await createEngineStack();
    const p = parent(engine, 'calendar-known');
    const askContent = await p.press(await p.command('case'), 'case-type', (b) => b.type === 'complaint');
    expect(askContent).toHaveLength(1);
    const filed = await p.press(await p.press(await p.say('学校寒假补课收费，家长被要求必须参加。'), 'skip'), 'confirm');
    const record = await cases.get(filed.find((r) => r.caseCode)!.caseCode!);
    expect(record?.deadlineEstimated).toBe(false);
    const [y, m, d] = record!.deadlineOn!.split('-').map(Number);
    expect(filed[0]?.text).toContain(`答复期限：${y}年${m}月${d}日前。`);
  });
});
