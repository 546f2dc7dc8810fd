import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { createEngine, createEngineStore } from '../../../src/core/engine/index.js';
import { loadIntents } from '../../../src/core/intents/index.js';
import { buildIndex, type KnowledgeIndex } from '../../../src/knowledge/index.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { silentLogger } from '../../../src/logger.js';
import { openStore } from '../../../src/storage/open-store.js';
import { chat, labels, tempDbPath, texts } from './harness.js';

/** The engine over the real knowledge base in knowledge/ and the real case desk. */
let index: KnowledgeIndex;
beforeAll(async () => {
  const loaded = await loadKnowledge('knowledge');
  index = buildIndex(loaded.entries, loaded.synonyms);
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
    expect(labels(english)).toContain('Helpful');
    const refused = await c.say('How do I renew my passport?');
    expect(refused[0]!.source).toBeUndefined();
    expect(labels(refused)).not.toContain('登记为咨询件');
    const chinese = await c.say('小学报名要带什么材料');
    expect(chinese[0]!.source?.entryId).toBe('enrollment-materials-primary');
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
});
