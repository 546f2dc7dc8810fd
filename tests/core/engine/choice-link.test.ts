import { describe, expect, it } from 'vitest';
import { listGaps } from '../../../src/core/gaps/queue.js';
import { renderGapsText } from '../../../src/core/gaps/render.js';
import type { Reply } from '../../../src/core/types.js';
import { openStore } from '../../../src/storage/open-store.js';
import { CHOICE_ENTRIES, choiceEngine } from '../../helpers/choice-knowledge.js';
import { chat, FRIDAY_MORNING, tempDbPath } from './harness.js';

/** Issue 14 (teach the bot): a pressed "您是不是想问" choice names its question, and the gaps list says so. */
async function engineWithChoices() {
  const db = await openStore(tempDbPath());
  const engine = await choiceEngine(db, FRIDAY_MORNING);
  return { db, engine };
}

const titles = new Map<string, string>(CHOICE_ENTRIES.map((e) => [e.id, e.title]));
const gaps = (db: Awaited<ReturnType<typeof openStore>>) =>
  listGaps(db, { since: new Date('2026-11-01T00:00:00Z'), now: FRIDAY_MORNING, entryTitle: (id) => titles.get(id) ?? null });
const linkOf = (db: Awaited<ReturnType<typeof openStore>>, id: number) =>
  db.get<{ intent: string; entryId: string; questionId: number | null }>(
    'SELECT intent, entry_id AS entryId, question_id AS questionId FROM messages WHERE id = ?',
    [id],
  );
const questionIdOf = async (db: Awaited<ReturnType<typeof openStore>>, text: string) =>
  (await db.get<{ id: number }>("SELECT id FROM messages WHERE intent = 'kb' AND text = ?", [text]))!.id;
const lastId = async (db: Awaited<ReturnType<typeof openStore>>) => (await db.get<{ id: number }>('SELECT MAX(id) AS id FROM messages'))!.id;

describe('a pressed 您是不是想问 choice', () => {
  it('is linked to its question, and the gaps list shows the entry the parent chose', async () => {
    const { db, engine } = await engineWithChoices();
    const c = chat(engine);
    const question = '校服的钱什么时候交';
    const list = await c.say(question);
    expect(list[0]!.text).toContain('您是不是想问');
    const answer = await c.press(list, '校车接送安排');
    expect(answer[0]!.source?.entryId).toBe('school-bus');
    expect(await linkOf(db, await lastId(db))).toEqual({ intent: 'kb-choice', entryId: 'school-bus', questionId: await questionIdOf(db, question) });

    const { groups, closures } = await gaps(db);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ representative: question, parentChoice: { entryId: 'school-bus', title: '校车接送安排', helped: 1, notHelpful: 0 } });
    const text = renderGapsText(groups, closures, 30);
    expect(text).toContain(`   家长自己选了 / the parent chose: 校车接送安排 (school-bus, 1×) → npm run cli -- kb teach --key ${groups[0]!.key} school-bus`);
    await db.close();
  });

  it('of an older list, pressed after another question, is linked to the question that list was shown for', async () => {
    const { db, engine } = await engineWithChoices();
    const c = chat(engine);
    const first = await c.say('校服的钱什么时候交');
    const second = await c.say('放学以后孩子怎么回家');
    // Both lists offer 校车接送安排; the parent presses it in the first one.
    expect(second[0]!.buttons!.flat().map((b) => b.label)).toContain('校车接送安排');
    await c.press(first, '校车接送安排');
    expect((await linkOf(db, await lastId(db)))!.questionId).toBe(await questionIdOf(db, '校服的钱什么时候交'));
    await c.press(second, '学生午餐收费');
    expect((await linkOf(db, await lastId(db)))!.questionId).toBe(await questionIdOf(db, '放学以后孩子怎么回家'));
    const { groups } = await gaps(db);
    const chosen = Object.fromEntries(groups.map((g) => [g.representative, g.parentChoice?.entryId]));
    expect(chosen).toEqual({ 校服的钱什么时候交: 'school-bus', 放学以后孩子怎么回家: 'school-meals' });
    await db.close();
  });

  it('naming a question of another chat, or none (a button sent before this change), is linked to nothing', async () => {
    const { db, engine } = await engineWithChoices();
    await chat(engine, 'other').say('校服的钱什么时候交');
    const foreign = await questionIdOf(db, '校服的钱什么时候交');
    const c = chat(engine, 'mine');
    await c.action({ kind: 'ask', entryId: 'school-bus', section: null, questionId: foreign });
    expect(await linkOf(db, await lastId(db))).toEqual({ intent: 'kb-choice', entryId: 'school-bus', questionId: null });
    await c.action({ kind: 'ask', entryId: 'school-meals', section: null });
    expect(await linkOf(db, await lastId(db))).toEqual({ intent: 'kb-choice', entryId: 'school-meals', questionId: null });
    // A question id that is not a knowledge question (here the press row itself) links to nothing either.
    await c.action({ kind: 'ask', entryId: 'school-meals', section: null, questionId: await lastId(db) });
    expect((await linkOf(db, await lastId(db)))!.questionId).toBeNull();
    const { groups } = await gaps(db);
    expect(groups.map((g) => g.parentChoice)).toEqual([null]);
    await db.close();
  });

  it('whose answer the parent marked 👎 is no hint: the gaps list says the choice did not help', async () => {
    const { db, engine } = await engineWithChoices();
    const c = chat(engine);
    const list = await c.say('校服的钱什么时候交');
    const answer: Reply[] = await c.press(list, '校车接送安排');
    await c.press(answer, '没帮助');
    const { groups, closures } = await gaps(db);
    expect(groups[0]!.parentChoice).toEqual({ entryId: 'school-bus', title: '校车接送安排', helped: 0, notHelpful: 1 });
    const text = renderGapsText(groups, closures, 30);
    expect(text).toContain('   家长选过 / the parent chose: 校车接送安排 (school-bus) but marked it 👎 (did not help): no suggestion');
    expect(text).not.toContain(`kb teach --key ${groups[0]!.key} school-bus`);
    await db.close();
  });
});
