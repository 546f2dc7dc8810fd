import { describe, expect, it } from 'vitest';
import { replaceLoneSurrogates } from '../../../src/core/engine/well-formed.js';
import { chat, makeEngine, tempDbPath } from './harness.js';

/**
 * Half a character (a lone UTF-16 surrogate, which a JSON body or a Telegram update can carry) is replaced by U+FFFD
 * where parent text enters the engine, so the stored lines never hold it; a whole pair (an emoji) is kept.
 */
describe('replaceLoneSurrogates', () => {
  it.each([
    ['a lone high surrogate first', '\uD800abc', '\uFFFDabc'],
    ['a lone low surrogate last', 'abc\uDC00', 'abc\uFFFD'],
    ['a low before a high (reversed pair)', '\uDC00\uD800', '\uFFFD\uFFFD'],
    ['two highs then a low: the second high pairs', '\uD83D\uD83D\uDE00', '\uFFFD😀'],
    ['an emoji and a CJK extension B character beside a lone one', '😀\uD800𠀀', '😀\uFFFD𠀀'],
  ])('%s', (_name, text, expected) => {
    expect(replaceLoneSurrogates(text)).toBe(expected);
  });

  it('leaves well-formed text (emoji ZWJ sequences, skin tones) as it is', () => {
    const text = '我家👨‍👩‍👧三口人👍🏽，孩子上学';
    expect(replaceLoneSurrogates(text)).toBe(text);
  });
});

describe('the engine stores no lone surrogate', () => {
  it('keeps an unanswered question with U+FFFD in place of half a character and the emoji beside it whole', async () => {
    const { engine, db } = await makeEngine(tempDbPath());
    try {
      const replies = await chat(engine).say('学校食堂\uD800的饭菜😀怎么收费');
      expect(replies.length).toBeGreaterThan(0);
      const rows = await db.all<{ text: string | null }>("SELECT text FROM messages WHERE chat_id = 'c1' AND text IS NOT NULL");
      expect(rows.map((r) => r.text)).toEqual(['学校食堂\uFFFD的饭菜😀怎么收费']);
      // The recent lines a handoff gives staff (JSON would keep half a character as the escape \ud800).
      await engine.flush();
      const saved = await db.get<{ state_json: string }>("SELECT state_json FROM conversations WHERE chat_id = 'c1'");
      expect(saved?.state_json).toContain('学校食堂\uFFFD的饭菜😀怎么收费');
      expect(saved?.state_json.toLowerCase()).not.toContain('\\ud800');
    } finally {
      await engine.flush();
      await db.close();
    }
  });
});
