import { afterEach, describe, expect, it } from 'vitest';
import { runStaffCommand } from '../../../src/channels/console/staff.js';
import { complaint, deskFixture } from '../../core/cases/setup.js';

/** The console staff desk: a phone case is answered with 方式=…, an extension names who approved it (批准=…). */
let fx: Awaited<ReturnType<typeof deskFixture>> | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const staff = (line: string) => runStaffCommand(fx!.desk, line, 'zh', 'Asia/Shanghai');

describe('console staff desk: answers outside the bot and approved extensions', () => {
  it('a phone case: reply and close need 方式=…, which the history shows', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint({ channel: 'phone', chatId: null, citizenRef: null, actor: 'cli' }));
    await staff(`/case claim ${c.code}`);
    expect(await staff(`/case reply ${c.code} 已督促学校退费`)).toContain('系统无法把答复发给诉求人');
    expect(await staff(`/case close ${c.code} 学校已退费`)).toContain('请先告知诉求人，再办结并注明告知方式（电话/书面/当面/民心网）');
    expect(await staff(`/case reply ${c.code} 方式=短信 已督促学校退费`)).toBe('答复方式只能是：电话/书面/当面/民心网（例如 方式=电话）。');
    expect(await staff(`/case reply ${c.code} 方式=电话 已督促学校退费`)).toBe(`${c.code}：已答复`);
    expect(await staff(`/case close ${c.code}`)).toBe(`${c.code}：已办结`);
    const reply = (await fx.desk.history(c.code)).find((e) => e.kind === 'reply');
    expect(reply).toMatchObject({ via: '电话', note: '已督促学校退费' });
    expect(await staff(`/case show ${c.code}`)).toContain("控制台  答复家长（电话）  办理中 → 已答复  已督促学校退费");
  });

  it('extend needs 批准=负责人', async () => {
    fx = await deskFixture();
    const c = await fx.desk.file(complaint());
    await staff(`/case claim ${c.code}`);
    expect(await staff(`/case extend ${c.code} 需会同街道核查`)).toBe(
      `延长诉求 ${c.code} 的办理期限须经负责人同意（《政府信息公开条例》第三十三条、《信访条例》第三十三条）：请写明批准延期的负责人。`,
    );
    expect(await staff(`/case extend ${c.code} 批准=王副局长 需会同街道核查`)).toBe(`${c.code}：已延期`);
    expect(await fx.desk.get(c.code)).toMatchObject({ extensionApprovedBy: '王副局长', extensionReason: '需会同街道核查' });
    const phone = await fx.desk.file(complaint({ channel: 'phone', chatId: null, citizenRef: null, actor: 'cli' }));
    await staff(`/case claim ${phone.code}`);
    expect(await staff(`/case extend ${phone.code} 批准=王副局长 需会同街道核查`)).toContain('系统无法把延期和理由告知诉求人');
    expect(await staff(`/case extend ${phone.code} 批准=王副局长 方式=电话 需会同街道核查`)).toBe(`${phone.code}：已延期`);
    expect(await fx.desk.get(phone.code)).toMatchObject({ extensionApprovedBy: '王副局长', extensionReason: '需会同街道核查' });
  });
});
