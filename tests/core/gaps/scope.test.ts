import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../helpers/cli.js';
import { classifyRefusal, loadRefusalScope } from '../../../src/core/gaps/scope.js';
import { insertMessage, type MessageInsert } from '../../../src/storage/messages-repo.js';
import { openStore } from '../../../src/storage/open-store.js';

const scope = loadRefusalScope();

describe('refused questions that are not knowledge gaps (issue 15, item 8)', () => {
  it('classifies another authority’s and off-topic questions, but never one about schooling', () => {
    expect(classifyRefusal('科目二考试怎么约', scope)).toEqual({ kind: 'other-jurisdiction', label: '公安交警、车管所' });
    expect(classifyRefusal('后天会不会下雨', scope)).toEqual({ kind: 'out-of-scope', label: '天气' });
    expect(classifyRefusal('户口迁走了孩子还能在原学校上学吗', scope)).toEqual({ kind: 'gap' });
    expect(classifyRefusal('特殊教育学校在哪', scope)).toEqual({ kind: 'gap' });
  });

  it('kb gaps lists only knowledge gaps and counts the others apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-scope-'));
    const env = { DATABASE_PATH: join(dir, 'test.db'), KNOWLEDGE_DIR: join(dir, 'knowledge') };
    mkdirSync(env.KNOWLEDGE_DIR);
    writeFileSync(
      join(env.KNOWLEDGE_DIR, 'age.md'),
      '---\nid: enrollment-age\ntitle: 小学一年级入学年龄要求\ncategory: enrollment\nquestions:\n  - 几岁上一年级\nupdated: 2026-04-20\n---\n\n## 年龄规定\n\n年满六周岁。\n',
    );
    const db = await openStore(env.DATABASE_PATH);
    const base: MessageInsert = { channel: 'telegram', chatId: '7', text: null, intent: 'kb', answered: false, confident: false };
    const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
    await insertMessage(db, { ...base, text: '驾驶证到期怎么换' }, ago(2));
    await insertMessage(db, { ...base, text: '社保断缴了怎么补' }, ago(2));
    await insertMessage(db, { ...base, text: '这周末气温多少度' }, ago(1));
    await insertMessage(db, { ...base, text: '托管班收费标准是多少' }, ago(1));
    await db.close();
    const { code, out } = await runCliCaptured(['kb', 'gaps'], env);
    expect(code).toBe(0);
    expect(out).toContain('托管班收费标准是多少');
    expect(out).not.toMatch(/驾驶证|社保|气温/);
    expect(out).toContain('Unanswered questions, last 30 days: 1 open groups');
    expect(out).toContain('for another authority (2): ');
    expect(out).toContain('公安交警、车管所 ×1');
    expect(out).toContain('人力资源和社会保障部门 ×1');
    expect(out).toContain('out of scope (1): 天气 ×1');
  });
});
