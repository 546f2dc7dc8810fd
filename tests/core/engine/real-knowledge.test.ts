import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { createEngine, createEngineStore } from '../../../src/core/engine/index.js';
import { loadIntents } from '../../../src/core/intents/index.js';
import { buildIndex, type KnowledgeIndex } from '../../../src/knowledge/index.js';
import { createJurisdiction } from '../../../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { listGapMessages } from '../../../src/storage/gaps-repo.js';
import { messageCounts } from '../../../src/storage/report-queries.js';
import { silentLogger } from '../../../src/logger.js';
import { openStore } from '../../../src/storage/open-store.js';
import { chat, labels, tempDbPath, texts } from './harness.js';

/** The engine over the real knowledge base in knowledge/ and the real case desk. */
let index: KnowledgeIndex;
beforeAll(async () => {
  const loaded = await loadKnowledge('knowledge');
  index = buildIndex(loaded.entries, loaded.synonyms, { jurisdiction: createJurisdiction({ area: '溪湖区', city: '本溪市', province: '辽宁省' }) });
});

async function realEngine() {
  const db = await openStore(tempDbPath());
  const config = parseConfig({});
  const engine = createEngine({
    store: createEngineStore(db),
    knowledge: { current: () => index },
    cases: createCaseDesk({ db, config }),
    intents: await loadIntents(),
    config,
    logger: silentLogger(),
  });
  return { db, engine };
}

describe('engine with the real knowledge base', () => {
  it('answers the enrolment-age question with its source', async () => {
    const { db, engine } = await realEngine();
    const replies = await chat(engine).say('娃8月30号生的能上一年级吗');
    expect(replies[0]!.source?.entryId).toBe('enrollment-age');
    expect(replies[0]!.text).toContain('8月31日');
    await db.close();
  });

  it('answers a question written in English from the Chinese entries, in English, and keeps Chinese for Chinese', async () => {
    const { db, engine } = await realEngine();
    const c = chat(engine);
    const english = await c.say('What documents do I need for primary school registration?');
    expect(english[0]!.source?.entryId).toBe('enrollment-materials-primary');
    // The entry is in Chinese: the English-speaking parent is told so before the official text.
    expect(english[0]!.text.split('\n')[0]).toBe('(The bureau publishes this information in Chinese; here is the official text.)');
    expect(labels(english)).toContain('Helpful');
    const refused = await c.say('How do I renew my passport?');
    expect(refused[0]!.source).toBeUndefined();
    expect(labels(refused)).not.toContain('登记为咨询件');
    const chinese = await c.say('小学报名要带什么材料');
    expect(chinese[0]!.source?.entryId).toBe('enrollment-materials-primary');
    expect(chinese[0]!.text).not.toContain('official text');
    expect(labels(chinese)).toContain('有帮助');
    await db.close();
  });

  it('offers "您是不是想问" alternatives that answer their entry when pressed, and files an unsure answer', async () => {
    // Whichever dev-set question the current knowledge base answers unsure with alternatives.
    const question = readFileSync('bench/devset.jsonl', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { q: string }).q)
      .find((q) => {
        const d = index.decide(q);
        return d.kind === 'answer' && !d.confident && d.alternatives.length > 0;
      });
    expect(question).toBeDefined();
    const { db, engine } = await realEngine();
    const c = chat(engine);
    const replies = await c.say(question!);
    const alternatives = replies.find((r) => r.text === '您是不是想问：');
    expect(alternatives).toBeDefined();
    expect(labels(replies)).toContain('登记为咨询件');
    const first = alternatives!.buttons![0]![0]!;
    expect(first.payload.kind).toBe('ask');
    const answer = await c.press(replies, first.label);
    const payload = first.payload as { entryId: string; section: string | null };
    expect(answer[0]!.source).toMatchObject({ entryId: payload.entryId, section: payload.section });
    expect(await db.get('SELECT text FROM messages WHERE id = 1')).toEqual({ text: question });
    expect(texts(await c.press(replies, '登记为咨询件'))).toContain('请留下联系电话');
    await db.close();
  });

  it('says which bureau to ask about another district, keeps no text and lists no gap', async () => {
    const { db, engine } = await realEngine();
    const replies = await chat(engine).say('平山区小学报名要带什么材料');
    expect(texts(replies)).toBe('本服务只解答本溪市溪湖区的政策；本溪市平山区的问题请联系本溪市平山区教育局。');
    expect(replies[0]!.source).toBeUndefined();
    expect(await db.get('SELECT intent, answered, text FROM messages WHERE id = 1')).toEqual({ intent: 'kb-elsewhere', answered: 0, text: null });
    expect(await listGapMessages(db, '2000-01-01T00:00:00.000Z')).toEqual([]);
    const own = await chat(engine, 'c2').say('溪湖区小学报名要带什么材料');
    expect(own[0]!.source?.entryId).toBe('enrollment-materials-primary');
    await db.close();
  });

  it('shows "您是不是想问" with up to three titles instead of an answer when unsure, and keeps it as a gap', async () => {
    const question = readFileSync('bench/devset.jsonl', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { q: string }).q)
      .find((q) => index.decide(q).kind === 'suggest');
    expect(question).toBeDefined();
    const { db, engine } = await realEngine();
    const c = chat(engine);
    const replies = await c.say(question!);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toBe('没能确定您问的是哪一项。您是不是想问下面其中一项？都不是的话，可以登记为咨询件，或转人工。');
    expect(replies[0]!.source).toBeUndefined();
    const choices = replies[0]!.buttons!.flat().filter((b) => b.payload.kind === 'ask');
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(3);
    // None of the choices may fit: the routes to staff stay, as when nothing matched.
    expect(labels(replies)).toEqual(expect.arrayContaining(['登记为咨询件', '转人工']));
    expect(await db.get('SELECT intent, answered, text FROM messages WHERE id = 1')).toEqual({ intent: 'kb', answered: 0, text: question });
    const answer = await c.press(replies, choices[0]!.label);
    expect(answer[0]!.source?.entryId).toBe((choices[0]!.payload as { entryId: string }).entryId);
    // A list is not an answer: the question stays one knowledge gap, counted as when nothing matched, even though
    // the parent found the entry by pressing it (its wording still does not reach the entry: one to teach).
    const gaps = await listGapMessages(db, '2000-01-01T00:00:00.000Z');
    expect(gaps.map((g) => [g.text, g.reason])).toEqual([[question, 'refused']]);
    // The monthly report counts the parent's question once: the press is an answer served, not a second question.
    const counts = await messageCounts(db, { fromUtc: '2000-01-01T00:00:00.000Z', toUtc: '2100-01-01T00:00:00.000Z', fromDate: '2000-01-01', toDate: '2100-01-01', offsetMinutes: 480 });
    expect(counts).toMatchObject({ total: 1, answered: 0 });
    expect(await db.get('SELECT intent, answered, entry_id AS entryId FROM messages WHERE id = 2')).toEqual({
      intent: 'kb-choice',
      answered: 1,
      entryId: (choices[0]!.payload as { entryId: string }).entryId,
    });
    await db.close();
  });
});
