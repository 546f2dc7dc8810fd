import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { FRIDAY_MORNING } from '../../core/engine/harness.js';
import { consoleSession } from '../../issue15/console-harness.js';

/**
 * The console: the parent's chat and, with Slack off, the staff desk in one terminal. Staff lines follow
 * STAFF_LOCALE (as main passes it), the parent's follow the parent's language.
 */
const FILE = ['我要投诉彩屯小学乱收费，每人多收200元资料费', '不留电话', '确认'];
const STAFF = ['/case list', '/case claim XH-2026-000001', '/case results', '/case close XH-2026-000001 结果=99 已退费', '/case reply XH-2026-000001 已责成学校退还资料费 方式=传真'];

describe('console staff lines and STAFF_LOCALE', () => {
  it('STAFF_LOCALE=en: staff notices and /case answers in English, the parent still answered in Chinese', async () => {
    const s = await consoleSession(FRIDAY_MORNING, { staffLocale: parseConfig({ STAFF_LOCALE: 'en' }).STAFF_LOCALE });
    const out = await s.run([...FILE, ...STAFF, '/case reply XH-2026-000001 已责成学校退还资料费']);
    expect(out).toContain('已登记'); // the parent's acknowledgement
    expect(out).toMatch(/\[staff channel\] New case XH-2026-000001 \(Complaint, [^)]+\): 我要投诉彩屯小学乱收费/);
    expect(out).toMatch(/XH-2026-000001 {2}Complaint {2}Unclaimed/);
    expect(out).toContain('XH-2026-000001: In progress');
    expect(out).toContain('Results of 政府信息公开 (information disclosure) requests, as in table 3 of the annual report; close such a request with 结果=NUMBER:\n  1. ');
    expect(out).toContain('There is no result 99: see /case results for the numbers (1–');
    expect(out).toContain('The way of answering must be one of ');
    // The staff reply reaches the parent inside Chinese words.
    expect(out).toContain('助手：您的诉求 XH-2026-000001 已由工作人员签收办理');
    expect(out).toContain('助手：关于您的诉求 XH-2026-000001，工作人员答复如下：\n已责成学校退还资料费');
    expect(out).toContain('[staff channel] XH-2026-000001 answered the parent: 已责成学校退还资料费');
    expect(out).not.toContain('[工作人员频道]');
    await s.close();
  });

  it('by default (zh-CN) the same staff lines are in Chinese', async () => {
    const s = await consoleSession(FRIDAY_MORNING, { staffLocale: parseConfig({}).STAFF_LOCALE });
    const out = await s.run([...FILE, ...STAFF]);
    expect(out).toMatch(/\[工作人员频道\] 新诉求 XH-2026-000001（投诉，/);
    expect(out).toContain('XH-2026-000001：办理中');
    expect(out).toContain('办理结果（年报表三），办结政府信息公开申请时用“结果=编号”：\n  1. ');
    expect(out).toContain('没有第 99 项办理结果：请用 /case results 查看编号（1–');
    expect(out).toContain('答复方式只能是：');
    expect(out).not.toContain('[staff channel]');
    await s.close();
  });
});
