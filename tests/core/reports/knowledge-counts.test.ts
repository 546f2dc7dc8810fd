import { describe, expect, it } from 'vitest';
import { collectMonthly } from '../../../src/core/reports/monthly/collect.js';
import { calendar } from '../../jobs/helpers.js';
import { chat, labels, makeEngine, tempDbPath, texts } from '../engine/harness.js';

describe('monthly 已回答 / 未回答 counts knowledge questions only (issue 15, item 8)', () => {
  it('a greeting, a filing with its phone number and menu choices are not unanswered questions', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    const c = chat(engine);
    await c.say('你好');
    await c.say('娃8月30号生的能上一年级吗'); // answered by the knowledge base
    const filing = await c.say('我要投诉学校乱收费，每人多收了两百元资料费');
    expect(texts(filing)).toMatch(/联系电话/);
    const confirm = await c.say('13812345678');
    const submitted = await c.press(confirm, labels(confirm)[0]!);
    expect(texts(submitted)).toMatch(/编号 XH-/);
    await c.say('明天天气怎么样'); // a knowledge question the bot declined
    await engine.flush?.();
    const report = await collectMonthly(db, {
      month: '2026-11',
      timezone: 'Asia/Shanghai',
      today: '2026-11-30',
      isWorkingDay: (d) => calendar.isWorkingDay(d),
      serviceGuides: 0,
    });
    expect(report.periods.month.knowledge).toMatchObject({ answered: 1, unanswered: 1 });
    await db.close();
  });
});
