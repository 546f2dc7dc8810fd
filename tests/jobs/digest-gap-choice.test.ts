import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coreTopGaps } from '../../jobs/context.js';
import { dailyDigest } from '../../jobs/daily-digest.js';
import { chat } from '../core/engine/harness.js';
import { CHOICE_ENTRIES, choiceEngine } from '../helpers/choice-knowledge.js';
import { tempStore, testContext } from './helpers.js';

// Tuesday 2026-12-01 08:30 in Asia/Shanghai; the parents asked the evening before.
const NOW = new Date('2026-12-01T00:30:00Z');
const ASKED = new Date('2026-11-30T12:00:00Z');

describe('daily-digest: top gaps with the parents’ 您是不是想问 choices', () => {
  let store: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    store = await tempStore();
  });
  afterEach(async () => store.cleanup());

  it('names the entry the parent chose, and nothing for a choice marked 👎', async () => {
    const engine = await choiceEngine(store.db, ASKED);
    const p1 = chat(engine, 'p1');
    await p1.press(await p1.say('校服的钱什么时候交'), '校车接送安排');
    const p2 = chat(engine, 'p2');
    await p2.press(await p2.press(await p2.say('放学以后孩子怎么回家'), '学生午餐收费'), '没帮助');
    const titles = new Map<string, string>(CHOICE_ENTRIES.map((e) => [e.id, e.title]));
    const ctx = testContext(store.db, { topGaps: coreTopGaps(store.db, async () => titles) });

    expect(await dailyDigest.run(ctx, NOW)).toEqual({ status: 'ok', posts: 1 });
    const lines = ctx.poster.posts[0]!.text.split('\n');
    const gaps = lines.slice(lines.indexOf('❓ 今日未能回答的问题（知识库缺口）') + 1);
    expect(gaps.slice(0, 2).sort()).toEqual(['“放学以后孩子怎么回家” × 1', '“校服的钱什么时候交” × 1（家长自己选了：校车接送安排）']);
  });
});
