import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, WEB_TEST_START, type WebStack } from '../../helpers/web-chat-harness.js';
import { webParent } from '../../helpers/web-chat-client.js';
import { onPostgres } from '../../helpers/postgres.js';

/**
 * A parent who asks to be called back and leaves a number ("请回电 139…") with no case open: before, the number was
 * "not kept" (a bare number with two short words) or the words were answered from the knowledge base. Now the request
 * is a 转人工 case staff see, the number is its contact (masked whenever it is shown), and the code is said only after
 * the case was committed. With a case open, the number goes onto that case (late contact) and no second case is made.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function start() {
  stack = await createWebStack({}, { now: () => new Date(WEB_TEST_START) });
  return { parent: webParent(stack), db: stack.db };
}

const casesOf = (db: WebStack['db']) => db.all<{ code: string; contact: string | null; handoff: number; text: string }>('SELECT code, contact, handoff, text FROM cases ORDER BY id');

describe('web chat: a call back asked for with a number and no case open', () => {
  for (const typed of ['请回电 13912345678', '请给我回个电话，13912345678', '麻烦尽快回电，13912345678，白天都在', '转人工，电话13912345678', 'call me back on 13912345678'])
    it(`"${typed}" becomes a 转人工 case with the number as its contact, masked in the reply`, async () => {
      const { parent, db } = await start();
      const reply = await parent.say(typed);
      const [record] = await casesOf(db);
      // The text is stored with the number masked: the contact holds it.
      expect(await casesOf(db)).toEqual([{ code: record!.code, contact: '13912345678', handoff: 1, text: typed.replace('13912345678', '139****5678') }]);
      expect(reply).toContain(record!.code);
      expect(reply).toMatch(/139\*{4}5678/);
      expect(reply).not.toContain('13912345678');
      // Not the late-contact refusal, and no knowledge answer with a source.
      expect(reply).not.toMatch(/没有保存|not kept|来源|Source/);
      // Staff see it: the case's staff notice is queued, the number masked in it.
      const staff = await db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target <> 'web'");
      expect(staff.map((r) => r.payload).join('\n')).toContain(record!.code);
      expect(staff.map((r) => r.payload).join('\n')).not.toContain('13912345678');
    });

  it('a number alone is still not a case (no call back asked): said so, not kept', async () => {
    const { parent, db } = await start();
    expect(await parent.say('13912345678')).toContain('这个号码没有保存');
    expect(await casesOf(db)).toEqual([]);
  });

  it('with a case open without a phone, "请回电 …" goes onto that case; no second case; staff get the request', async () => {
    const { parent, db } = await start();
    const code = await parent.fileComplaint('我要投诉彩屯小学乱收费，每个学生收500元资料费');
    expect(await parent.say('请回电 13912345678')).toBe(`已把联系电话 139****5678 记入诉求 ${code}，工作人员需要时会打这个电话联系您。`);
    expect((await casesOf(db)).map((c) => [c.code, c.contact, c.handoff])).toEqual([[code, '13912345678', 0]]);
    expect(await db.all("SELECT note FROM case_events WHERE kind = 'followup'")).toEqual([{ note: '请回电 139****5678' }]);
  });

  it.skipIf(onPostgres)('the code only after the commit: a database that refuses the case gives no code and keeps no case', async () => {
    const { parent, db } = await start();
    await db.exec("CREATE TRIGGER refuse_cases BEFORE INSERT ON cases BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
    const reply = await parent.say('请回电 13912345678');
    expect(reply).not.toMatch(/XH-\d{4}-\d{6}/);
    expect(reply).not.toContain('13912345678');
    expect(reply).not.toBe('');
    await db.exec('DROP TRIGGER refuse_cases');
    expect(await casesOf(db)).toEqual([]);
    // Asked again once the database takes writes: the case is made then.
    expect(await parent.say('请回电 13912345678')).toMatch(/XH-\d{4}-\d{6}/);
    expect(await casesOf(db)).toHaveLength(1);
  });
});
