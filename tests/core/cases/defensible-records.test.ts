import { afterEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../../src/storage/audit-repo.js';
import { eraseChat } from '../../../src/storage/retention-repo.js';
import { complaint, deskFixture, outbox, refusal } from './setup.js';

/**
 * What a reviewer checks in a bureau's case records: a phone / 民心网 citizen got the answer the case closed on
 * (the bot cannot write to them, so staff record how they gave it), an extension was approved by the 负责人 within
 * the period, and the trail of who did what cannot be changed afterwards.
 */
let fx: Awaited<ReturnType<typeof deskFixture>>;
afterEach(async () => {
  await fx?.close();
  fx = undefined as unknown as typeof fx;
});

const phoneCase = () => complaint({ channel: 'phone', chatId: null, citizenRef: null, actor: 'cli', citizenName: '李女士' });

describe('an answer to a citizen the bot cannot reach (phone, letter, visit, 民心网)', () => {
  it('a reply, a closing message or a 不予处理 reason is refused unless staff say how the citizen got it', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(phoneCase());
    await fx.desk.act(c.code, { kind: 'claim' }, 'slack:U1');
    expect(await refusal(fx.desk.act(c.code, { kind: 'reply', text: '已督促学校退还资料费。' }, 'slack:U1'))).toBe(
      `诉求 ${c.code} 不是通过聊天提交的（电话、来信、来访或民心网等），系统无法把答复发给诉求人：请先通过电话、书面、当面或民心网答复诉求人，再登记答复内容并注明答复方式（电话/书面/当面/民心网）。`,
    );
    const needsWay = `诉求 ${c.code} 不是通过聊天提交的，系统无法把办结答复或不予处理理由发给诉求人：请先告知诉求人，再办结并注明告知方式（电话/书面/当面/民心网）。`;
    expect(await refusal(fx.desk.act(c.code, { kind: 'close', note: '学校已退费。' }, 'slack:U1'))).toBe(needsWay);
    expect(await refusal(fx.desk.act(c.code, { kind: 'close', basis: 'not-processed', note: '不属于本局职责。' }, 'slack:U1'))).toBe(needsWay);
    expect((await fx.desk.get(c.code))?.state).toBe('claimed');

    const { event } = await fx.desk.act(c.code, { kind: 'reply', text: '已督促学校退还资料费。', via: '电话' }, 'slack:U1');
    expect(event).toMatchObject({ kind: 'reply', via: '电话', note: '已督促学校退还资料费。' });
    const { case: closed } = await fx.desk.act(c.code, { kind: 'close', note: '' }, 'slack:U1');
    expect(closed).toMatchObject({ state: 'closed', closeBasis: 'answered' });
    expect((await fx.desk.history(c.code)).find((e) => e.kind === 'reply')?.via).toBe('电话');
    const audit = await listAudit(fx.db, { subject: c.code });
    expect(audit.find((a) => a.action === 'case.reply')).toMatchObject({ actor: 'slack:U1' });
    expect(JSON.parse(audit.find((a) => a.action === 'case.reply')!.detail!)).toMatchObject({ via: '电话' });
    // Nothing was queued for a chat that does not exist.
    expect((await outbox(fx.db, c.id)).filter((r) => r.target !== 'staff')).toEqual([]);
  });

  it('a closing message given in writing closes the case with its way recorded; an unreachable caller closes as unreachable', async () => {
    fx = await deskFixture();
    const letter = await fx.desk.file({ ...phoneCase(), channel: 'letter' });
    await fx.desk.act(letter.code, { kind: 'claim' }, 'console');
    const { case: closed, event } = await fx.desk.act(letter.code, { kind: 'close', note: '书面答复：学校已退费。', via: '书面' }, 'console');
    expect(closed).toMatchObject({ state: 'closed', closeBasis: 'message' });
    expect(event.via).toBe('书面');

    const silent = await fx.desk.file(phoneCase());
    await fx.desk.act(silent.code, { kind: 'unreachable', note: '三次致电无人接听' }, 'console');
    const { case: gone } = await fx.desk.act(silent.code, { kind: 'close', note: '三次致电无人接听，按联系不上办结' }, 'console');
    expect(gone).toMatchObject({ state: 'closed', closeBasis: 'unreachable' });
  });

  it('a Telegram case is answered by the bot without a way; reopened, it needs a new reply before it closes as answered', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint());
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    await fx.desk.act(c.code, { kind: 'reply', text: '已督促学校退费。' }, 'console');
    await fx.desk.act(c.code, { kind: 'close', note: '' }, 'console');
    await fx.desk.act(c.code, { kind: 'reopen', note: '家长要求重新办理' }, 'citizen');
    expect(await refusal(fx.desk.act(c.code, { kind: 'close', note: '', basis: 'answered' }, 'console'))).toBe(
      `诉求 ${c.code} 尚未答复家长，不能按“已答复”办结：请先答复，或填写给家长的办结答复后办结。`,
    );
  });
});

describe('a 政府信息公开申请 is answered, never returned unanswered', () => {
  it('refuses 退单 for a disclosure request (it would sit in 结转下年度 forever) and says how to close it instead', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint({ type: 'disclosure', text: '申请公开市教育局2026年招生计划' }));
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    expect(await refusal(fx.desk.act(c.code, { kind: 'return', reason: '属市教育局职责' }, 'console'))).toBe(
      `政府信息公开申请 ${c.code} 不能退单：不属于本机关负责公开的，应告知申请人并说明负责公开的机关（《政府信息公开条例》第三十六条第五项），按“（四）无法提供/1.本机关不掌握相关政府信息”办结。`,
    );
    expect((await fx.desk.get(c.code))?.state).toBe('claimed');
    const { case: closed } = await fx.desk.act(
      c.code,
      { kind: 'close', note: '该信息由本溪市教育局负责公开，请向其申请。', disclosureResult: '（四）无法提供/1.本机关不掌握相关政府信息' },
      'console',
    );
    expect(closed).toMatchObject({ state: 'closed', disclosureResult: '（四）无法提供/1.本机关不掌握相关政府信息' });
  });
});

describe('补正 of a request that came by letter (第三十条 一次性告知申请人)', () => {
  it('is refused unless staff record how the applicant was told; the clock stops once recorded', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file({
      ...phoneCase(), type: 'disclosure', channel: 'letter', text: '来信申请公开2026年学区划分方案', applicantType: '自然人',
      applicantIdType: '居民身份证', applicantIdNumber: '11010519491231002X', deliveryForm: '纸质', deliveryMethod: '自取',
    });
    expect(await refusal(fx.desk.requestCorrection(c.code, '请写明所需方案的年份和学段', 'console'))).toBe(
      `申请 ${c.code} 不是通过聊天提交的，系统无法把补正要求发给申请人：请先一次性告知申请人（《政府信息公开条例》第三十条），再登记并注明告知方式（电话/书面/当面/民心网）。`,
    );
    expect((await fx.desk.get(c.code))?.deadlineOn).not.toBeNull();
    const paused = await fx.desk.requestCorrection(c.code, '请写明所需方案的年份和学段', 'console', '书面');
    expect(paused.deadlineOn).toBeNull();
    expect((await fx.desk.history(c.code)).at(-1)).toMatchObject({ kind: 'correction_requested', via: '书面' });
  });
});

describe('extension (延期): approved by the 负责人, within the period, once', () => {
  it('refuses an extension without the approving person and one after the deadline; records the approval', async () => {
    fx = await deskFixture(); // Tue 2026-02-10 10:00 Beijing
    const c = await fx.desk.file(complaint({ type: 'petition', text: '反映学校周末补课问题' }));
    await fx.desk.act(c.code, { kind: 'claim' }, 'slack:U1');
    expect(await refusal(fx.desk.act(c.code, { kind: 'extend', reason: '需会同街道核查' }, 'slack:U1'))).toBe(
      `延长诉求 ${c.code} 的办理期限须经负责人同意（《政府信息公开条例》第三十三条、《信访条例》第三十三条）：请写明批准延期的负责人。`,
    );
    const { case: extended } = await fx.desk.act(c.code, { kind: 'extend', reason: '需会同街道核查', approvedBy: '王副局长' }, 'slack:U1');
    expect(extended).toMatchObject({ extended: true, extensionReason: '需会同街道核查', extensionApprovedBy: '王副局长' });
    const audit = (await listAudit(fx.db, { subject: c.code })).find((a) => a.action === 'case.extend');
    expect(JSON.parse(audit!.detail!)).toMatchObject({ approvedBy: '王副局长' });
    expect(await refusal(fx.desk.act(c.code, { kind: 'extend', reason: '再延', approvedBy: '王副局长' }, 'slack:U1'))).toContain('不能延期');

    const late = await fx.desk.file(complaint({ type: 'petition', text: '反映校车超载' }));
    await fx.desk.act(late.code, { kind: 'claim' }, 'slack:U1');
    const deadline = (await fx.desk.get(late.code))!.deadlineOn!;
    fx.clock.now = new Date(`${deadline}T16:30:00Z`); // 00:30 Beijing the day after the deadline
    expect(await refusal(fx.desk.act(late.code, { kind: 'extend', reason: '需会同街道核查', approvedBy: '王副局长' }, 'slack:U1'))).toBe(
      `诉求 ${late.code} 的办理期限已于 ${deadline} 届满，不能再延期：延期须在办理期限内经负责人同意并告知申请人。请尽快答复。`,
    );
    fx.clock.now = new Date(`${deadline}T15:30:00Z`); // 23:30 Beijing on the deadline: still within it
    expect((await fx.desk.act(late.code, { kind: 'extend', reason: '需会同街道核查', approvedBy: '王副局长' }, 'slack:U1')).case.extended).toBe(true);
  });

  it('a letter petition: the petitioner must be told of the extension and its reason, and staff say how', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file({ ...phoneCase(), type: 'petition', channel: 'letter' });
    await fx.desk.act(c.code, { kind: 'claim' }, 'console');
    expect(await refusal(fx.desk.act(c.code, { kind: 'extend', reason: '需会同街道核查', approvedBy: '王副局长' }, 'console'))).toBe(
      `诉求 ${c.code} 不是通过聊天提交的，系统无法把延期和理由告知诉求人：请先告知诉求人，再登记延期并注明告知方式（电话/书面/当面/民心网）。`,
    );
    const { event } = await fx.desk.act(c.code, { kind: 'extend', reason: '需会同街道核查', approvedBy: '王副局长', via: '书面' }, 'console');
    expect(event).toMatchObject({ toState: 'extended', via: '书面', note: '需会同街道核查' });
  });
});

describe('the audit trail and the case history cannot be changed afterwards', () => {
  it('refuses to update or delete audit rows and case events; erasing personal data still clears notes', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint());
    await fx.desk.act(c.code, { kind: 'claim' }, 'slack:U1');
    await fx.desk.act(c.code, { kind: 'reply', text: '已督促学校退费。' }, 'slack:U1');
    await expect(fx.db.run("UPDATE audit_log SET actor = 'slack:U2' WHERE subject = ?", [c.code])).rejects.toThrow(/append-only/);
    await expect(fx.db.run('DELETE FROM audit_log WHERE subject = ?', [c.code])).rejects.toThrow(/append-only/);
    await expect(fx.db.run("UPDATE case_events SET actor = 'slack:U2' WHERE case_id = ?", [c.id])).rejects.toThrow(/append-only/);
    await expect(fx.db.run("UPDATE case_events SET note = '改过的答复' WHERE case_id = ? AND kind = 'reply'", [c.id])).rejects.toThrow(/append-only/);
    await expect(fx.db.run('DELETE FROM case_events WHERE case_id = ?', [c.id])).rejects.toThrow(/append-only/);
    expect((await fx.desk.history(c.code)).map((e) => [e.actor, e.kind])).toEqual([
      ['citizen', 'created'], ['slack:U1', 'transition'], ['slack:U1', 'reply'],
    ]);
    // The parent's erasure request (privacy) clears the notes and keeps who did what and when.
    await eraseChat(fx.db, 'telegram', '10001', '2026-02-11T00:00:00.000Z');
    const after = await fx.desk.history(c.code);
    expect(after.map((e) => [e.actor, e.kind, e.note])).toEqual([
      ['citizen', 'created', null], ['slack:U1', 'transition', null], ['slack:U1', 'reply', null],
    ]);
  });
});
