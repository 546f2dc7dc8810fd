import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { createEngine, createEngineStore } from '../../../src/core/engine/index.js';
import type { KnowledgeDecisionLike } from '../../../src/core/engine/types.js';
import { loadIntents } from '../../../src/core/intents/index.js';
import { silentLogger } from '../../../src/logger.js';
import { chat } from '../../core/engine/harness.js';
import { blockAction, slashCommand } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { KB_FILES, folderKnowledge, writeFolder } from '../../helpers/slack-knowledge.js';
import { postCommand, postInteraction } from '../../helpers/slack-signer.js';

/**
 * Two admins press "归入「户口与房产不一致如何入学」" for two gap groups at the same moment (two signed
 * requests to Bolt in flight together): both wordings end up in the entry file, which is otherwise
 * byte for byte what it was, each admin is told the truth, and both groups are resolved. And a teach
 * whose reload cannot take the edited file leaves the gap open and says so.
 */
const ASKED = new Date('2026-11-27T02:00:00Z');
const NOW = new Date('2026-11-28T02:00:00Z');
const TITLES: Record<string, string> = { 'enrollment-hukou-house': '户口与房产不一致如何入学', 'faq-school-meals': '学校食堂收费' };
const alt = (id: string) => ({ entryId: id, section: null, title: TITLES[id]! });
const unsureKnowledge = {
  current: () => ({
    decide: (text: string): KnowledgeDecisionLike =>
      /户口|学区/.test(text) ? { kind: 'suggest', alternatives: [alt('enrollment-hukou-house'), alt('faq-school-meals')] } : { kind: 'none' },
    entry: (id: string) => (TITLES[id] ? { id, title: TITLES[id]!, body: '……', sections: [] } : undefined),
  }),
};
type Button = { value: string };
type Response = { text: string; blocks?: { type: string; elements?: Button[] }[] };

async function pickerButtons(h: SlackHarness, asked: string[]): Promise<Button[]> {
  const config = parseConfig({});
  const engine = createEngine({ store: createEngineStore(h.db), knowledge: unsureKnowledge, cases: createCaseDesk({ db: h.db, config, now: () => ASKED }),
    intents: await loadIntents(), config, logger: silentLogger(), now: () => ASKED });
  for (const [i, text] of asked.entries()) {
    const parent = chat(engine, `p${i}`);
    await parent.press(await parent.say(text), '户口与房产不一致如何入学');
  }
  await postCommand(h.url, slashCommand({ command: '/kb', text: 'gaps', user_id: 'UADMIN', response_url: h.stub.responseUrl('g') }));
  await h.stub.waitFor('response_url', (c) => c.path === '/response/g' && h.stub.calls.filter((x) => x.path === c.path).length >= 2);
  const picker = h.stub.calls.filter((c) => c.path === '/response/g').map((c) => c.body as unknown as Response)[1]!;
  return picker.blocks!.filter((b) => b.type === 'actions').map((b) => b.elements![0]!);
}

async function press(h: SlackHarness, buttons: Button[]): Promise<string[]> {
  const res = await Promise.all(buttons.map((b, i) =>
    postInteraction(h.url, blockAction({ actionId: 'kb_teach_chosen', value: b.value, user: 'UADMIN', actionTs: `17643000${i}0.000001`, responseUrl: h.stub.responseUrl(`c${i}`) }))));
  expect(res.map((r) => r.status)).toEqual(buttons.map(() => 200));
  const replies: string[] = [];
  for (const i of buttons.keys()) {
    await h.stub.waitFor('response_url', (c) => c.path === `/response/c${i}`);
    replies.push((h.stub.calls.find((c) => c.path === `/response/c${i}`)!.body as unknown as Response).text);
  }
  return replies;
}

describe('归入 on one entry from two admins at once', () => {
  it('keeps both questions, leaves every other byte alone and tells both admins the truth', async () => {
    const dir = writeFolder(KB_FILES);
    const h = await startSlackHarness({ knowledge: await folderKnowledge(dir), now: () => NOW });
    try {
      const buttons = await pickerButtons(h, ['孩子户口在奶奶家能在哪上学', '今年学区划分在哪里查询']);
      expect(buttons).toHaveLength(2);
      const file = join(dir, 'enrollment/hukou.md');
      const before = readFileSync(file, 'utf8');
      const replies = await press(h, buttons);
      const after = readFileSync(file, 'utf8');
      const line = /questions: \[(.*)\]/.exec(after)![1]!.split(', ');
      expect(line[0]).toBe('户口和房子不在一起去哪个学校上学');
      expect(new Set(line.slice(1))).toEqual(new Set(['孩子户口在奶奶家能在哪上学', '今年学区划分在哪里查询']));
      expect(after).toBe(before.replace('questions: [户口和房子不在一起去哪个学校上学]', `questions: [${line.join(', ')}]`));
      expect(replies).toHaveLength(2);
      for (const reply of replies) expect(reply).toMatch(/^已把“(孩子户口在奶奶家能在哪上学|今年学区划分在哪里查询)”归入 `enrollment-hukou-house`.*已标记为已解决。$/);
      expect(new Set(replies.map((r) => /“(.+?)”/.exec(r)![1]))).toEqual(new Set(line.slice(1)));
      const gaps = await h.db.all<{ status: string; entry_id: string }>('SELECT status, entry_id FROM gap_groups');
      expect(gaps).toEqual([{ status: 'resolved', entry_id: 'enrollment-hukou-house' }, { status: 'resolved', entry_id: 'enrollment-hukou-house' }]);
    } finally {
      await h.close();
    }
  });

  it('leaves the gap open and says why when the reloaded knowledge base does not hold the question', async () => {
    const dir = writeFolder(KB_FILES);
    const h = await startSlackHarness({ knowledge: await folderKnowledge(dir), now: () => NOW });
    try {
      const [button] = await pickerButtons(h, ['孩子户口在奶奶家能在哪上学']);
      // Someone saved the entry with a bad date since the last reload: the file no longer loads, the old version stays live.
      const file = join(dir, 'enrollment/hukou.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace('updated: 2025-06-01', 'updated: 2025-13-01'));
      const [reply] = await press(h, [button!]);
      expect(readFileSync(file, 'utf8')).toContain('孩子户口在奶奶家能在哪上学');
      expect(reply).toMatch(/^没能归入：The question was written to the entry's file, but the reloaded knowledge base does not list it under "enrollment-hukou-house".*the gap group stays open\.$/);
      expect(await h.db.all('SELECT status FROM gap_groups')).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
