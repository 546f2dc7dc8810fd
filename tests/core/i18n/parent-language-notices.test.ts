import { afterEach, describe, expect, it } from 'vitest';
import { resultForApplicant } from '../../../src/core/cases/disclosure.js';
import { casesCatalog } from '../../../src/core/i18n/cases.js';
import { RESULT_GROUPS } from '../../../src/core/reports/annual/model.js';
import { complaint, deskFixture, outbox } from '../cases/setup.js';

/**
 * A case's notices reach the parent in the language the parent filed in, whatever language the staff desk works in
 * (staff write their reply in Chinese; the frame around it is the parent's). Clock: Tue 2026-02-10 10:00 Beijing.
 */
let fx: Awaited<ReturnType<typeof deskFixture>> | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const parentTexts = async (f: NonNullable<typeof fx>, caseId: number) =>
  (await outbox(f.db, caseId)).filter((r) => r.target !== 'staff').map((r) => (r.payload as { text: string }[])[0]!.text);

/** Han characters the English frame may carry: the staff's own reply, the named bodies and legal terms in brackets. */
const hanOutside = (text: string, allowed: readonly string[]) => {
  let rest = text;
  for (const a of allowed) rest = rest.split(a).join('');
  return rest.replace(/[（(][\u4e00-\u9fff]+[)）]/gu, '').match(/[\u4e00-\u9fff]+/gu) ?? [];
};

describe('notices to an English-speaking parent, worked by a Chinese staff desk', () => {
  it('claim, extension, reply and closing of a 政府信息公开申请 are in English, its table 三 result too', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint({ type: 'disclosure', locale: 'en', text: 'Please disclose the 2026 primary school admission plan of the district.' }));
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    await fx.desk.act(c.code, { kind: 'extend', reason: '需要征求学校意见', approvedBy: '王副局长' }, 'console');
    await fx.desk.act(c.code, { kind: 'close', note: '该信息属于国家秘密，不予公开。', disclosureResult: '（三）不予公开/1.属于国家秘密' }, 'console');
    const texts = await parentTexts(fx, c.id);
    expect(texts.length).toBeGreaterThanOrEqual(3);
    const closing = texts.at(-1)!;
    expect(closing).toContain('\nResult: not disclosed (a state secret)\n');
    expect(closing).not.toContain('不予公开（');
    for (const text of texts) expect(hanOutside(text, ['该信息属于国家秘密，不予公开。', '需要征求学校意见', '本溪市溪湖区人民政府'])).toEqual([]);
  });

  it('a Chinese parent reads the same result in the statute\'s words', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint({ type: 'disclosure', text: '申请公开2026年溪湖区义务教育学校招生计划' }));
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    await fx.desk.act(c.code, { kind: 'close', note: '本机关不掌握该信息。', disclosureResult: '（四）无法提供/1.本机关不掌握相关政府信息' }, 'console');
    expect((await parentTexts(fx, c.id)).at(-1)).toContain('\n办理结果：无法提供（本机关不掌握相关政府信息）\n');
  });

  it('every table 三 result has its parent text in both languages; the Chinese one is the statute\'s row', () => {
    for (const group of RESULT_GROUPS)
      for (const leaf of group.leaves) {
        const stored = group.leaves.length > 1 ? `${group.label}/${leaf.label}` : leaf.label;
        expect(casesCatalog.zh[`result.${leaf.key}`]).toBe(resultForApplicant(stored));
        expect(casesCatalog.en[`result.${leaf.key}`]).toMatch(/^[\x20-\x7e]+$/);
      }
  });
});
