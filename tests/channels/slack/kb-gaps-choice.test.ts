import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
 * `/kb gaps` after parents pressed "您是不是想问" choices (through the engine, on the desk's database):
 * the list says which entry the parent chose, the "归入…" picker puts it first and offers a one-click
 * button; a choice whose answer was marked 👎 is said to have not helped and is not offered.
 */
const ASKED = new Date('2026-11-27T02:00:00Z');
const NOW = new Date('2026-11-28T02:00:00Z');
const TITLES: Record<string, string> = { 'enrollment-hukou-house': '户口与房产不一致如何入学', 'faq-school-meals': '学校食堂收费' };
const alt = (id: string) => ({ entryId: id, section: null, title: TITLES[id]! });

/** Never sure: 户口 questions get the hukou and meals entries as choices, 饭卡 questions the meals entry. */
const unsureKnowledge = {
  current: () => ({
    decide: (text: string): KnowledgeDecisionLike =>
      /户口/.test(text)
        ? { kind: 'suggest', alternatives: [alt('enrollment-hukou-house'), alt('faq-school-meals')] }
        : /饭卡/.test(text)
          ? { kind: 'suggest', alternatives: [alt('faq-school-meals')] }
          : { kind: 'none' },
    entry: (id: string) => (TITLES[id] ? { id, title: TITLES[id]!, body: '……', sections: [] } : undefined),
  }),
};

type Block = { type: string; block_id?: string; text?: { text: string }; accessory?: { options: { text: { text: string }; value: string }[] }; elements?: { action_id: string; value: string; text: { text: string } }[] };
type Response = { text: string; blocks?: Block[] };

describe('/kb gaps with the parents’ 您是不是想问 choices', () => {
  let h: SlackHarness;
  let dir: string;
  let seq = 0;
  beforeEach(async () => {
    dir = writeFolder(KB_FILES);
    h = await startSlackHarness({ knowledge: await folderKnowledge(dir), now: () => NOW });
    const config = parseConfig({});
    const engine = createEngine({
      store: createEngineStore(h.db),
      knowledge: unsureKnowledge,
      cases: createCaseDesk({ db: h.db, config, now: () => ASKED }),
      intents: await loadIntents(),
      config,
      logger: silentLogger(),
      now: () => ASKED,
    });
    for (const id of ['p1', 'p2']) {
      const c = chat(engine, id);
      await c.press(await c.say('孩子户口在奶奶家能在哪上学'), '户口与房产不一致如何入学');
    }
    const c = chat(engine, 'p3');
    await c.press(await c.press(await c.say('饭卡丢了去哪补办'), '学校食堂收费'), '没帮助');
  });
  afterEach(async () => {
    await h.close();
  });

  const command = async (text: string, count: number): Promise<Response[]> => {
    const id = `g${(seq += 1)}`;
    const res = await postCommand(h.url, slashCommand({ command: '/kb', text, user_id: 'UADMIN', response_url: h.stub.responseUrl(id) }));
    expect(res.status).toBe(200);
    await h.stub.waitFor('response_url', (c) => c.path === `/response/${id}` && h.stub.calls.filter((x) => x.path === c.path).length >= count);
    return h.stub.calls.filter((c) => c.path === `/response/${id}`).map((c) => c.body as unknown as Response);
  };
  const shown = (r: Response) => (r.blocks ?? []).map((b) => b.text?.text ?? '').join('\n');

  it('shows the chosen entry, offers it first and files the group under it with one click', async () => {
    const [list, picker] = await command('gaps', 2);
    const text = shown(list!);
    expect(text).toMatch(/\*1\.\* ×2 {2}孩子户口在奶奶家能在哪上学\n(.*\n){2} {6}家长自己选了：户口与房产不一致如何入学 `enrollment-hukou-house`（2 次）→ 可一键归入该条目/);
    expect(text).toMatch(/\*2\.\* ×1 {2}饭卡丢了去哪补办\n(.*\n){2} {6}家长选过：学校食堂收费 `faq-school-meals`，但点了 👎（没帮上），不作建议/);

    const blocks = picker!.blocks!;
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'actions', 'section']);
    expect(blocks[1]!.text!.text).toBe('×2  孩子户口在奶奶家能在哪上学\n家长自己选了：户口与房产不一致如何入学');
    expect(blocks[1]!.accessory!.options[0]!.text.text).toBe('★ 家长所选：户口与房产不一致如何入学 (enrollment-hukou-house)');
    // The 👎'd choice is not offered: its group's picker is in title order with no ★ and no button.
    expect(blocks[3]!.text!.text).toBe('×1  饭卡丢了去哪补办');
    expect(blocks[3]!.accessory!.options.map((o) => o.text.text).join()).not.toContain('★');
    const button = blocks[2]!.elements![0]!;
    expect(button).toMatchObject({ action_id: 'kb_teach_chosen', text: { text: '归入「户口与房产不一致如何入学」' } });

    const before = readFileSync(join(dir, 'enrollment/hukou.md'), 'utf8');
    const payload = blockAction({ actionId: 'kb_teach_chosen', value: button.value, user: 'UADMIN', responseUrl: h.stub.responseUrl('chosen') });
    expect((await postInteraction(h.url, payload)).status).toBe(200);
    await h.stub.waitFor('response_url', (c) => c.path === '/response/chosen');
    const reply = (h.stub.calls.find((c) => c.path === '/response/chosen')!.body as unknown as Response).text;
    expect(reply).toMatch(/^已把“孩子户口在奶奶家能在哪上学”归入 `enrollment-hukou-house`（户口与房产不一致如何入学），写入 `enrollment\/hukou.md`；/);
    expect(readFileSync(join(dir, 'enrollment/hukou.md'), 'utf8')).toBe(
      before.replace('questions: [户口和房子不在一起去哪个学校上学]', 'questions: [户口和房子不在一起去哪个学校上学, 孩子户口在奶奶家能在哪上学]'),
    );
    const [after] = await command('gaps', 1);
    expect(after!.text).toBe('*未答复的问题*（近 30 天）：1 组待处理，1 组已标记');
    expect(shown(after!)).not.toContain('家长自己选了');
  });

  it('refuses the one-click button to staff who are not admins and changes nothing', async () => {
    const [, picker] = await command('gaps', 2);
    const button = picker!.blocks![2]!.elements![0]!;
    const before = readFileSync(join(dir, 'enrollment/hukou.md'), 'utf8');
    const payload = blockAction({ actionId: 'kb_teach_chosen', value: button.value, user: 'USTAFF1', responseUrl: h.stub.responseUrl('staff') });
    expect((await postInteraction(h.url, payload)).status).toBe(200);
    await h.stub.waitFor('response_url', (c) => c.path === '/response/staff');
    expect((h.stub.calls.find((c) => c.path === '/response/staff')!.body as unknown as Response).text).toBe('抱歉，这项操作仅限管理员使用。');
    expect(readFileSync(join(dir, 'enrollment/hukou.md'), 'utf8')).toBe(before);
    expect(await h.db.all('SELECT * FROM gap_groups')).toEqual([]);
  });
});
