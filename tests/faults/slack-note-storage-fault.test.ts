import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { messageEvent, STAFF_CHANNEL } from '../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { postEvent } from '../helpers/slack-signer.js';
import { refuseWrites } from './helpers/refuse-writes.js';

/**
 * review18 R2: a note typed in a case thread while the database refused writes was lost for good, and its author was
 * told nothing (the event id was marked processed before the note was written, so Slack's redelivery was dropped too).
 * Now the author is told in the thread, only to them, that the message was not recorded and to send it again; a
 * redelivery of the same event is taken once the database is back.
 */
describe('a Slack thread note during a database fault (signed Events API requests, real Bolt)', () => {
  let h: SlackHarness;
  let code: string;
  const threadTs = '1764300000.000100';
  beforeEach(async () => {
    h = await startSlackHarness();
    code = (await h.desk.file({ type: 'complaint', channel: 'telegram', chatId: 'c1', text: '投诉：学校乱收费', actor: 'citizen' })).code;
    await h.db.run("INSERT INTO slack_case_messages (case_code, channel, ts, posted_at, updated_at) VALUES (?, ?, ?, 'x', 'x')", [code, STAFF_CHANNEL, threadTs]);
  });
  afterEach(async () => {
    await refuseWrites(h.db, false);
    await h.close();
  });
  const notes = async () => (await h.desk.history(code)).filter((e) => e.kind === 'note').map((e) => e.note);
  const NOTE = '已电话联系家长，家长同意周五面谈。';

  it('writes refused: the author is told the note was not recorded and to resend; the redelivered event is recorded once writes work', async () => {
    await refuseWrites(h.db, true);
    const envelope = messageEvent({ text: NOTE, threadTs, eventId: 'EvNoteRO' });
    expect((await postEvent(h.url, envelope)).status).toBe(200);
    const told = await h.stub.waitFor('chat.postEphemeral');
    expect(told.body).toMatchObject({ channel: STAFF_CHANNEL, user: 'USTAFF1', thread_ts: threadTs });
    expect(told.body.text).toMatch(
      new RegExp(`^⚠️ 您刚才在本帖发的消息\\*没有\\*记入案件 ${code} 的办理记录：数据库暂时无法写入（read-only）。消息仍在上方，请稍后复制并在本帖中重新发送；如持续出现，请联系管理员（请求号 [^）]+）。$`),
    );
    await refuseWrites(h.db, false);
    expect(await notes()).toEqual([]);

    const mark = h.stub.calls.length;
    await postEvent(h.url, envelope, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' } });
    const kept = await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark });
    expect(kept.body.text).toBe(`已记为案件 ${code} 的内部备注，*不会发送给家长*。要答复家长，请点案件消息上的“回复”按钮（或办结时填写给家长的办结答复）。`);
    expect(await notes()).toEqual([NOTE]);
  });

  it('the note write failing after the event was taken (database locked): the key is released, so the redelivery records it once', async () => {
    const real = h.desk.addNote.bind(h.desk);
    let failures = 1;
    h.desk.addNote = async (...args: Parameters<typeof real>) => {
      if (failures-- > 0) throw new AppError('storage_failed', 'Database error: SQLITE_BUSY: database is locked');
      return real(...args);
    };
    const envelope = messageEvent({ text: NOTE, threadTs, eventId: 'EvNoteBusy' });
    await postEvent(h.url, envelope);
    expect(String((await h.stub.waitFor('chat.postEphemeral')).body.text)).toContain(`没有*记入案件 ${code} 的办理记录：数据库暂时无法写入（locked）`);

    const mark = h.stub.calls.length;
    await postEvent(h.url, envelope, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' } });
    expect(String((await h.stub.waitFor('chat.postEphemeral', undefined, { since: mark })).body.text)).toContain(`已记为案件 ${code} 的内部备注`);
    expect(await notes()).toEqual([NOTE]);
  });
});
