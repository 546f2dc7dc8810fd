import { describe, expect, it } from 'vitest';
import { chat, makeEngine, tempDbPath, texts } from './harness.js';

/** What the parent's chat receives when staff claim a 信访 case: the written 受理告知 (《信访条例》第二十二条). */
describe('信访 受理告知 in the parent\'s chat', () => {
  it('the claim reaches the chat as the notice of acceptance, once, and the case status still reads as before', async () => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const filed = await cases.file({ type: 'petition', channel: 'console', chatId: 'c1', text: '反映学校强制购买教辅', actor: 'citizen' });
    await cases.act(filed.code, { kind: 'claim' }, 'slack:U1');
    const sent = await db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'console' AND address = 'c1' ORDER BY id");
    const messages = sent.map((r) => (JSON.parse(r.payload) as { text: string }[])[0]!.text);
    expect(messages).toHaveLength(2);
    expect(messages[1]).toMatch(new RegExp(`^受理告知：您的信访事项 ${filed.code} 已经受理，由工作人员办理，我们将在 2027年1月\\d+日.*前书面答复您。$`));
    expect(texts(await chat(engine, 'c1').say(`${filed.code} 怎么样了`))).toMatch(/状态：已签收|状态：办理中|状态：已认领/);
    await db.close();
  });

  it('in English for an English chat', async () => {
    const { db, cases } = await makeEngine(tempDbPath());
    const filed = await cases.file({ type: 'petition', channel: 'console', chatId: 'c9', locale: 'en', text: 'school forces parents to buy workbooks', actor: 'citizen' });
    await cases.act(filed.code, { kind: 'claim' }, 'console');
    const last = await db.get<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'console' AND address = 'c9' ORDER BY id DESC LIMIT 1");
    expect((JSON.parse(last!.payload) as { text: string }[])[0]!.text).toMatch(
      new RegExp(`^Notice of acceptance: your petition ${filed.code} has been accepted and is being handled by staff\\. We will answer you in writing by 2027-01-\\d\\d`),
    );
    await db.close();
  });
});
