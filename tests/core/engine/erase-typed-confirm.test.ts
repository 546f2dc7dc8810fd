import { describe, expect, it } from 'vitest';
import { chat, labels, makeEngine, tempDbPath, texts } from './harness.js';

/**
 * Review 18b, B11: at the privacy prompt ("点‘确认删除’可删除…") a confirmation typed instead of pressed — even the
 * button's own words — dropped the erase without a word and was answered as a knowledge question.
 */
describe('the erase prompt answered in words', () => {
  it.each(['确认', '是的', '好的，删除吧', '确认删除', '确认删除。谢谢'])('"%s" erases the chat’s data', async (typed) => {
    const { engine, db, cases } = await makeEngine(tempDbPath());
    const filed = await cases.file({ type: 'complaint', channel: 'console', chatId: 'c1', text: '彩屯小学乱收费，电话13812345678', contact: '13812345678', actor: 'citizen' });
    await chat(engine).say('校车几点到彩屯小区');
    await chat(engine).say('删除我的数据');
    const done = texts(await chat(engine).say(typed));
    expect(done).toContain('已删除您的聊天数据（1 条消息记录，1 件诉求的个人信息）。');
    expect(done).toContain(`您正在办理的诉求（${filed.code}）已按您的确认撤回`);
    expect(await db.get('SELECT state, contact, text FROM cases')).toEqual({ state: 'withdrawn', contact: null, text: '[已删除]' });
    expect(await db.get('SELECT COUNT(*) AS n FROM messages WHERE text IS NOT NULL')).toEqual({ n: 0 });
    await db.close();
  });

  it.each(['不删了', '算了', '先不删'])('"%s" keeps everything and says so', async (typed) => {
    const { engine, db } = await makeEngine(tempDbPath());
    await chat(engine).say('校车几点到彩屯小区');
    await chat(engine).say('删除我的数据');
    expect(texts(await chat(engine).say(typed))).toBe('好的，没有删除任何数据。');
    expect(await db.get('SELECT COUNT(*) AS n FROM messages WHERE text IS NOT NULL')).toEqual({ n: 1 });
    await db.close();
  });

  it('anything else: says the data was not deleted and offers the buttons again, then answers the message', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    await chat(engine).say('校车几点到彩屯小区');
    await chat(engine).say('删除我的数据');
    const other = await chat(engine).say('孩子几岁能上一年级');
    expect(other[0]!.text).toBe('您的数据尚未删除。如需删除，请点“确认删除”或回复“确认删除”；不删除请点“取消”。');
    expect(labels([other[0]!])).toEqual(['确认删除', '取消']);
    expect(texts(other.slice(1))).toContain('2020年8月31日（含）以前出生的可以报名。');
    expect(texts(await chat(engine).press(other, '确认删除'))).toContain('已删除您的聊天数据');
    await db.close();
  });

  it('told once: a second unrelated message is answered alone and the offer lapses', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    await chat(engine).say('删除我的数据');
    await chat(engine).say('孩子几岁能上一年级');
    const second = texts(await chat(engine).say('谢谢'));
    expect(second).toBe('不客气！还有其他问题可以随时问我。');
    expect(texts(await chat(engine).say('确认'))).not.toContain('已删除');
    await db.close();
  });

  it('in English', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    await chat(engine).say('English');
    await chat(engine).say('delete my data');
    expect(texts(await chat(engine).say('yes, delete it'))).toContain('Your chat data was deleted');
    await db.close();
  });
});
