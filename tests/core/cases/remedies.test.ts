import { afterEach, describe, expect, it } from 'vitest';
import { complaint, deskFixture, outbox } from './setup.js';

/**
 * The closing answer tells the citizen how to challenge it: a 信访 written reply names the 复查 by the superior body
 * within 30 日 (《信访条例》第三十四条); a disclosure answer names 行政复议 and 行政诉讼 (《政府信息公开条例》第五十一条);
 * 12345-type answers carry neither.
 */
let fx: Awaited<ReturnType<typeof deskFixture>>;
afterEach(async () => {
  await fx?.close();
  fx = undefined as unknown as typeof fx;
});

const toParent = async (caseId: number) =>
  (await outbox(fx.db, caseId)).filter((r) => r.target === 'telegram').map((r) => (r.payload as { text: string }[])[0]!.text);

const REVIEW_ZH = '如对上述处理意见不服，您可以自收到本书面答复之日起30日内，向本溪市教育局（上一级行政机关）请求复查。';

describe('the 信访 written reply names the 复查 right', () => {
  it('after a reply, the closing message names the superior body and the 30 日 limit (default 本溪市教育局)', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z' });
    const c = await fx.desk.file(complaint({ type: 'petition', text: '反映某校强制学生购买校服的问题。' }));
    await fx.desk.act(c.code, { kind: 'claim' }, 'slack:U1');
    await fx.desk.act(c.code, { kind: 'reply', text: '经调查，已责成学校停止统一购买校服。' }, 'slack:U1');
    await fx.desk.act(c.code, { kind: 'close', note: '' }, 'slack:U1');
    const closing = (await toParent(c.id)).at(-1)!;
    expect(closing).toContain(REVIEW_ZH);
    expect(closing.indexOf(REVIEW_ZH)).toBeLessThan(closing.indexOf('请为本次办理结果评价'));
  });

  it('a closing message as the answer carries it too, with the configured body, in English for an English chat', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z', config: { BUREAU_SUPERIOR: '某市教育局' } });
    const zh = await fx.desk.file(complaint({ type: 'petition' }));
    await fx.desk.act(zh.code, { kind: 'claim' }, 'console');
    await fx.desk.act(zh.code, { kind: 'close', note: '经核查，学校已退还资料费。' }, 'console');
    expect((await toParent(zh.id)).at(-1)).toContain('向某市教育局（上一级行政机关）请求复查');

    const en = await fx.desk.file(complaint({ type: 'petition', locale: 'en', chatId: '10002', citizenRef: '10002' }));
    await fx.desk.act(en.code, { kind: 'claim' }, 'console');
    await fx.desk.act(en.code, { kind: 'close', note: 'The school has refunded the fee.' }, 'console');
    expect((await toParent(en.id)).at(-1)).toContain(
      'If you disagree with this decision, you may ask 某市教育局 (the next higher authority) to review it (复查) within 30 days of receiving this written reply.',
    );
  });

  it('a duplicate or 不予处理 closing is no 处理意见 and names no 复查; a complaint never does', async () => {
    fx = await deskFixture({ now: '2026-11-02T02:00:00Z' });
    const first = await fx.desk.file(complaint({ type: 'petition' }));
    const dup = await fx.desk.file(complaint({ type: 'petition' }));
    await fx.desk.act(dup.code, { kind: 'claim' }, 'console');
    await fx.desk.act(dup.code, { kind: 'close', note: '', basis: 'duplicate', duplicateOf: first.code }, 'console');
    expect((await toParent(dup.id)).at(-1)).not.toContain('复查');
    await fx.desk.act(first.code, { kind: 'claim' }, 'console');
    await fx.desk.act(first.code, { kind: 'close', note: '不属于本机关职责，请向公安机关反映。', basis: 'not-processed' }, 'console');
    expect((await toParent(first.id)).at(-1)).not.toContain('复查');

    const plain = await fx.desk.file(complaint());
    await fx.desk.act(plain.code, { kind: 'claim' }, 'console');
    await fx.desk.act(plain.code, { kind: 'close', note: '学校已退还资料费。' }, 'console');
    const closing = (await toParent(plain.id)).at(-1)!;
    expect(closing).toContain('学校已退还资料费');
    expect(closing).not.toMatch(/复查|行政复议/);
  });
});

describe('a disclosure answer names 行政复议 and 行政诉讼', () => {
  it('names the configured 行政复议机关 with 60 日 and 6 个月', async () => {
    fx = await deskFixture({ now: '2026-02-10T02:00:00Z', config: { BUREAU_APPEAL_BODY: '某区人民政府' } });
    const c = await fx.desk.file(complaint({ type: 'disclosure', text: '申请公开2025年学区划分依据' }));
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    await fx.desk.act(c.code, { kind: 'reply', text: '所申请信息已主动公开，见本局网站“学区划分”栏目。' }, 'console');
    await fx.desk.act(c.code, { kind: 'close', note: '', disclosureResult: '（一）予以公开', applicantType: '自然人' }, 'console');
    const closing = (await toParent(c.id)).at(-1)!;
    expect(closing).toContain('如对本答复不服，您可以自知道本答复之日起60日内向某区人民政府申请行政复议，或者在6个月内依法向人民法院提起行政诉讼。');
    expect(closing).not.toContain('复查');
  });
});
