import { describe, expect, it } from 'vitest';
import { replaceEnglishPhrases } from '../../src/knowledge/english.js';
import { createAnalyzer } from '../../src/knowledge/tokenize.js';

describe('English questions against Chinese entries', () => {
  it('replaces phrases on word boundaries only, in lower-case normalised text', () => {
    expect(replaceEnglishPhrases('primary school registration')).toBe('小学 registration');
    expect(replaceEnglishPhrases('junior  high school and high school')).toBe('初中 and 高中');
    expect(replaceEnglishPhrases('highschool')).toBe('highschool');
    expect(replaceEnglishPhrases('小学报名')).toBe('小学报名');
  });

  it('turns an English question into the Chinese terms of its Chinese twin', () => {
    const analyzer = createAnalyzer();
    expect(analyzer.terms('What documents do I need for Primary School registration?')).toEqual(['材料', '小学', '报名']);
    expect(analyzer.terms('How do I transfer my child to another school?')).toEqual(['转学', '孩子', '学校']);
    expect(analyzer.terms('小学报名需要什么材料')).toEqual(['小学', '报名', '材料']);
  });

  it('keeps other authorities’ business out of scope in English too', () => {
    expect(createAnalyzer().terms('How do I renew my passport?')).toContain('护照');
  });
});
