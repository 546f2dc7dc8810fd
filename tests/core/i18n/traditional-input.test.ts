import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { createEngine, createEngineStore } from '../../../src/core/engine/index.js';
import { loadIntents } from '../../../src/core/intents/index.js';
import { buildIndex, type KnowledgeIndex } from '../../../src/knowledge/index.js';
import { createJurisdiction } from '../../../src/knowledge/jurisdiction.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { silentLogger } from '../../../src/logger.js';
import { openStore } from '../../../src/storage/open-store.js';
import { FRIDAY_MORNING, chat, tempDbPath } from '../engine/harness.js';

/**
 * Parents in Hong Kong or Taiwan (or anyone typing 繁體) are read like everyone else and answered in Simplified Chinese,
 * the one Chinese the bot writes; asking for 繁體 is answered as a language request, not as a question the knowledge
 * base lacks. Real knowledge base, real intents, the clock set to Fri 2026-11-27 10:00 Beijing.
 */
let index: KnowledgeIndex;
beforeAll(async () => {
  const loaded = await loadKnowledge('knowledge');
  index = buildIndex(loaded.entries, loaded.synonyms, { jurisdiction: createJurisdiction({ area: '溪湖区', city: '本溪市', province: '辽宁省' }) });
});

async function realEngine() {
  const db = await openStore(tempDbPath());
  const config = parseConfig({});
  const now = () => FRIDAY_MORNING;
  const engine = createEngine({
    store: createEngineStore(db), knowledge: { current: () => index }, cases: createCaseDesk({ db, config, now }),
    intents: await loadIntents(), config, logger: silentLogger(), now,
  });
  return { db, engine };
}

/** Characters that exist only in Traditional script and would show the reply was not kept Simplified. */
const TRADITIONAL_ONLY = /[號級嗎為這個們請問學報護機構關於門書與習體經總統費辦處]/u;

describe('Traditional-Chinese input', () => {
  it('a question typed in 繁體 gets the same Simplified answer as the same question in 简体', async () => {
    const { db, engine } = await realEngine();
    const simplified = await chat(engine, 's').say('娃8月30号生的能上一年级吗');
    const traditional = await chat(engine, 't').say('娃8月30號生的能上一年級嗎');
    expect(traditional[0]!.source?.entryId).toBe('enrollment-age');
    expect(traditional.map((r) => r.text)).toEqual(simplified.map((r) => r.text));
    expect(traditional[0]!.text).not.toMatch(TRADITIONAL_ONLY);
    await db.close();
  });

  it.each(['繁體中文', '繁體', '請用繁體回覆', '有繁體版嗎？', '正體中文', 'Traditional Chinese please'])(
    '"%s" is a language request: replies stay Simplified Chinese, and the parent is told so',
    async (ask) => {
      const { db, engine } = await realEngine();
      const c = chat(engine);
      const [reply] = await c.say(ask);
      expect(reply!.text).toBe('目前只提供简体中文和英文回复，以后用简体中文和您交流。您可以继续用繁体字提问，我都看得懂。');
      const [next] = await c.say('我要投訴學校亂收費，每個學生多收兩百元');
      expect(next!.text).toContain('请留下联系电话');
      expect(next!.text).not.toMatch(TRADITIONAL_ONLY);
      await db.close();
    },
  );

  it('an English chat that asks for 繁體 is answered in Simplified Chinese from then on', async () => {
    const { db, engine } = await realEngine();
    const c = chat(engine);
    expect((await c.say('English'))[0]!.text).toBe('OK, I will speak English from now on.');
    expect((await c.say('繁體中文'))[0]!.text).toContain('以后用简体中文和您交流');
    expect((await c.say('你好'))[0]!.text).toMatch(/^您好！/);
    await db.close();
  });

  it('a knowledge question that only mentions 繁体字 is still a knowledge question', async () => {
    const { db, engine } = await realEngine();
    const [reply] = await chat(engine).say('繁體字的學校名稱怎麼寫');
    expect(reply!.text).not.toContain('以后用简体中文和您交流');
    await db.close();
  });
});
