import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/storage/open-store.js';
import { runCliCaptured } from '../helpers/cli.js';
import { CREDIT_CODE, CREDIT_CODE_MASKED, PERSON_ID, PERSON_ID_BAD } from '../helpers/identity-numbers.js';

/** `cases add`: staff log a phone or letter case; a 政府信息公开申请 needs 第二十九条's fields, 身份证明 included. */
let dir: string;
let env: Record<string, string>;
const cli = (args: string[]) => runCliCaptured(args, env);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'civicdesk-add-'));
  env = { DATABASE_PATH: join(dir, 'c.db'), KNOWLEDGE_DIR: join(dir, 'kb') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function rows() {
  const db = await openStore(env.DATABASE_PATH!);
  try {
    return await db.all<Record<string, unknown>>(
      'SELECT code, type, channel, citizen_name, applicant_type, applicant_id_type, applicant_id_number, received_at FROM cases ORDER BY id',
    );
  } finally {
    await db.close();
  }
}

const request = ['cases', 'add', '--type', 'disclosure', '--channel', 'letter', '--text', '来信申请公开2026年溪湖区学区划分方案', '--received', '2026-11-02T10:30'];

describe('cli: cases add', () => {
  it('refuses a disclosure request without the 身份证明, with the desk coded error in Chinese and English', async () => {
    const result = await cli([...request, '--name', '赵敏', '--contact', '13912345678', '--applicant', '自然人']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('政府信息公开申请须写明申请人的身份证明（《政府信息公开条例》第二十九条）');
    expect(result.err).toContain("A disclosure request must give the applicant's proof of identity (Article 29)");
    const noApplicant = await cli(request);
    expect(noApplicant.code).toBe(1);
    expect(noApplicant.err).toContain('政府信息公开申请须写明申请人的姓名或者名称、申请人类型和联系方式');
    expect(await rows()).toEqual([]);
  });

  it('refuses a contact that is not a phone (masked in the error), and stores a valid one normalised', async () => {
    const phoneCase = ['cases', 'add', '--type', 'complaint', '--channel', 'phone', '--text', '来电反映校车超载', '--received', '2026-11-02T10:30'];
    const bad = await cli([...phoneCase, '--contact', '1391234567']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('联系方式“139*******”无法识别：请填写 11 位手机号');
    expect(bad.err).toContain('The contact "139*******" is not recognised: enter an 11-digit mobile');
    expect(bad.err).not.toContain('1391234567');
    expect(await rows()).toEqual([]);
    const ok = await cli([...phoneCase, '--contact', '139 1234 5678']);
    expect(ok.code).toBe(0);
    const db = await openStore(env.DATABASE_PATH!);
    try {
      expect(await db.get('SELECT contact FROM cases')).toEqual({ contact: '13912345678' });
    } finally {
      await db.close();
    }
  });

  it('logs a letter 政府信息公开申请 whose only contact is an e-mail or a postal address, and a landline with its extension; refuses an address for a complaint', async () => {
    const letter = [...request, '--name', '赵敏', '--applicant', '自然人', '--id-type', '居民身份证', '--id-number', PERSON_ID, '--form', '纸质', '--method', '自取'];
    expect((await cli([...letter, '--contact', 'zhangsan@example.com'])).code).toBe(0);
    expect((await cli([...letter, '--contact', '辽宁省本溪市溪湖区彩屯街道河东路12号'])).code).toBe(0);
    const complaint = ['cases', 'add', '--type', 'complaint', '--channel', 'letter', '--text', '来信反映校车超载', '--received', '2026-11-02T10:30'];
    expect((await cli([...complaint, '--contact', '0414-4284123 转 801'])).code).toBe(0);
    expect((await cli([...complaint, '--contact', '0414 4284123 ext 801'])).code).toBe(0);
    const address = await cli([...complaint, '--contact', '辽宁省本溪市溪湖区彩屯街道河东路12号']);
    expect(address.code).toBe(1);
    expect(address.err).toContain('联系方式“辽宁省本溪市溪湖区彩屯街道河东路12号”无法识别');
    const db = await openStore(env.DATABASE_PATH!);
    try {
      expect(await db.all('SELECT type, contact FROM cases ORDER BY id')).toEqual([
        { type: 'disclosure', contact: 'zhangsan@example.com' },
        { type: 'disclosure', contact: '辽宁省本溪市溪湖区彩屯街道河东路12号' },
        { type: 'complaint', contact: '0414-4284123 转 801' },
        { type: 'complaint', contact: '0414-4284123 转 801' },
      ]);
    } finally {
      await db.close();
    }
  });

  it('refuses a mistyped number, shown masked', async () => {
    const result = await cli([...request, '--name', '赵敏', '--contact', '13912345678', '--applicant', '自然人', '--id-type', '居民身份证', '--id-number', PERSON_ID_BAD]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('证件号码 110105********0021 的校验位与号码不符');
    expect(result.err).not.toContain(PERSON_ID_BAD);
    expect(await rows()).toEqual([]);
  });

  it('logs a person and an organisation with their documents; output and export show them masked', async () => {
    const person = await cli([...request, '--name', '赵敏', '--contact', '13912345678', '--applicant', '自然人', '--id-type', '居民身份证', '--id-number', PERSON_ID, '--form', '纸质', '--method', '自取']);
    expect(person.code).toBe(0);
    expect(person.out).toContain('Logged XH-2026-000001 (disclosure, letter)');
    expect(person.out).toContain('身份证明 居民身份证 110105********002X, contact 139****5678');
    expect(person.out).not.toContain(PERSON_ID);
    const org = await cli([
      'cases', 'add', '--type', 'disclosure', '--channel', 'visit', '--text', '申请公开校车招标文件', '--name', '本溪某某律师事务所',
      '--contact', '024-42842001', '--applicant', '法律服务机构', '--id-type', '统一社会信用代码', '--id-number', CREDIT_CODE, '--received', '2026-11-03T09:15',
      '--form', '电子', '--method', '电子邮件', '--address', 'law@example.cn',
    ]);
    expect(org.code).toBe(0);
    expect(await rows()).toMatchObject([
      { code: 'XH-2026-000001', applicant_type: '自然人', applicant_id_type: '居民身份证', applicant_id_number: PERSON_ID, received_at: '2026-11-02T02:30:00.000Z' },
      { code: 'XH-2026-000002', channel: 'visit', applicant_type: '法律服务机构', applicant_id_type: '统一社会信用代码', applicant_id_number: CREDIT_CODE },
    ]);
    const exported = await cli(['cases', 'export']);
    expect(exported.out.split('\r\n')[0]).toMatch(/,text,applicant_type,applicant_id,/);
    expect(exported.out).toContain(',自然人,居民身份证 110105********002X');
    expect(exported.out).toContain(`,法律服务机构,统一社会信用代码 ${CREDIT_CODE_MASKED}`);
    expect(exported.out).not.toContain(PERSON_ID);
    expect(exported.out).not.toContain(CREDIT_CODE);
  });

  it('refuses a disclosure request without its 形式要求 (第二十九条第三项), a way that does not fit the form, or a post without an address', async () => {
    const applicant = [...request, '--name', '赵敏', '--contact', '13912345678', '--applicant', '自然人', '--id-type', '居民身份证', '--id-number', PERSON_ID];
    const none = await cli(applicant);
    expect(none.code).toBe(1);
    expect(none.err).toContain('政府信息公开申请须写明申请公开的政府信息的形式要求（《政府信息公开条例》第二十九条第三项）：信息形式（纸质/电子）和获取方式（邮寄/自取/电子邮件）');
    const misfit = await cli([...applicant, '--form', '纸质', '--method', '电子邮件', '--address', 'a@b.cn']);
    expect(misfit.err).toContain('纸质形式的信息不能以“电子邮件”方式提供，可选：邮寄/自取。');
    const noAddress = await cli([...applicant, '--form', '纸质', '--method', '邮寄']);
    expect(noAddress.err).toContain('获取方式为邮寄时须写明申请人的邮寄地址');
    const badEmail = await cli([...applicant, '--form', '电子', '--method', '电子邮件', '--address', 'zhaomin at qq']);
    expect(badEmail.err).toContain('获取方式为电子邮件时须写明有效的电子邮件地址（现为“zhaomin at qq”）');
    expect(await rows()).toEqual([]);
    const posted = await cli([...applicant, '--form', '纸质', '--method', '邮寄', '--address', '本溪市溪湖区河西路1号']);
    expect(posted.code).toBe(0);
    expect(posted.out).toContain('形式 纸质/邮寄');
  });

  it('refuses a receipt time still to come (the deadline counts from receipt)', async () => {
    const result = await cli(['cases', 'add', '--type', 'complaint', '--channel', 'phone', '--text', '来电反映校车超载', '--received', '2099-01-05T09:00']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('收到时间 2099-01-05 09:00 还没有到：请填写实际收到来件的时间');
    expect(await rows()).toEqual([]);
  });

  it('a complaint needs no 身份证明; a wrong channel is a usage error', async () => {
    expect((await cli(['cases', 'add', '--type', 'complaint', '--channel', 'phone', '--text', '来电反映校车超载'])).code).toBe(0);
    const bad = await cli(['cases', 'add', '--type', 'complaint', '--channel', 'fax', '--text', '来电反映校车超载']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--channel must be one of phone, letter, visit, minxin');
  });

  it('exports citizen text that looks like a formula as text, and times in the bureau\'s local time named in the header', async () => {
    const formula = '=HYPERLINK("http://evil.example/x","我要投诉彩屯小学乱收费，详情点此")';
    const logged = await cli(['cases', 'add', '--type', 'complaint', '--channel', 'phone', '--text', formula, '--received', '2026-01-01T00:30']);
    expect(logged.code).toBe(0);
    const exported = await cli(['cases', 'export']);
    const [header, row] = exported.out.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toContain('code,type,channel,state,received_at (Asia/Shanghai),claimed_at (Asia/Shanghai),deadline_on');
    // Received 00:30 on 1 January Beijing time: the new year, not 2025-12-31T16:30Z.
    expect(row).toContain(',received,2026-01-01 00:30,');
    // The formula is kept whole but starts with an apostrophe, so Excel/WPS show it as text and never run it.
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example/x"",""我要投诉彩屯小学乱收费，详情点此"")"`);
    expect(row).not.toMatch(/(^|,)"?=HYPERLINK/);
  });

  it('exports the columns the reports are checked against: estimate, 受理告知, closing basis, duplicate, table 三 result, rating scale and way', async () => {
    expect((await cli(['cases', 'add', '--type', 'complaint', '--channel', 'minxin', '--text', '民心网转来：校车超载', '--received', '2026-03-02T09:00'])).code).toBe(0);
    const db = await openStore(env.DATABASE_PATH!);
    try {
      await db.run(
        `UPDATE cases SET deadline_estimated = 1, acceptance_notice_at = '2026-03-02T16:30:00.000Z', acceptance_notice_via = 'phone',
           close_basis = 'duplicate', duplicate_of = 'XH-2026-000009', disclosure_result = 'public' WHERE code = 'XH-2026-000001'`,
      );
      const { id } = (await db.get<{ id: number }>(`SELECT id FROM cases WHERE code = 'XH-2026-000001'`))!;
      await db.run(`INSERT INTO ratings (case_id, scale, value, label, declined, rated_at, via) VALUES (?, 'minxin', 5, '满意', 0, '2026-03-10T02:00:00.000Z', 'minxin')`, [id]);
    } finally {
      await db.close();
    }
    const exported = await cli(['cases', 'export']);
    const [header, row] = exported.out.replace(/^\uFEFF/, '').split('\r\n');
    const names = header!.split(',');
    const values = row!.split(',');
    const cell = (name: string) => values[names.indexOf(name)];
    expect(names).toEqual(expect.arrayContaining(['deadline_estimated', 'acceptance_notice_at (Asia/Shanghai)', 'acceptance_notice_via', 'close_basis', 'duplicate_of', 'disclosure_result', 'rating_scale', 'rating_via']));
    expect(cell('deadline_estimated')).toBe('1');
    // Local time, as every other time column: 16:30Z is 00:30 the next day in Beijing.
    expect(cell('acceptance_notice_at (Asia/Shanghai)')).toBe('2026-03-03 00:30');
    expect(cell('acceptance_notice_via')).toBe('phone');
    expect(cell('close_basis')).toBe('duplicate');
    expect(cell('duplicate_of')).toBe('XH-2026-000009');
    expect(cell('disclosure_result')).toBe('public');
    expect(cell('rating')).toBe('满意');
    expect(cell('rating_scale')).toBe('minxin');
    expect(cell('rating_via')).toBe('minxin');
  });
});
