import { existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../../src/channels/slack/types.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { listAudit } from '../../../src/storage/audit-repo.js';
import { insertMessage } from '../../../src/storage/messages-repo.js';
import { createCaseDesk } from '../../../src/core/cases/index.js';
import { openDb, type Db } from '../../../src/storage/db.js';
import { migrate } from '../../../src/storage/migrate.js';
import { blockAction, viewSubmission } from '../../helpers/slack-payloads.js';
import { startSlackHarness, type SlackHarness } from '../../helpers/slack-harness.js';
import { KB_FILES, writeFolder } from '../../helpers/slack-knowledge.js';
import { postInteraction } from '../../helpers/slack-signer.js';

const QUESTION = '孩子户口在外地，初三能在溪湖区参加中考吗？我电话13812345678';
const REPLY = '可以。非本市户籍学生在溪湖区连续就读初中满三年、有学籍的，可在溪湖区报名参加中考，请在3月底前到学校登记。';

type Block = { type: string; block_id?: string; element?: { type: string; options?: { value: string }[] } };

describe('Close modal: draft a knowledge entry from a case that came from an unanswered question', () => {
  let h: SlackHarness;
  let db: Db;
  let dir: string;
  // One frozen clock for the desk and the Slack app (the staff outbox is due at it): 00:30 on 11 March in
  // Beijing while it is still 10 March in UTC, so the draft's dates must be the bureau's local ones.
  const NOW = new Date('2026-03-10T16:30:00Z');
  const now = () => NOW;
  beforeEach(async () => {
    dir = writeFolder(KB_FILES);
    db = await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-drafts-')), 'test.db'));
    await migrate(db);
    h = await startSlackHarness({ knowledgeDir: dir, now }, { db, desk: createCaseDesk({ db, now }) });
  });
  afterEach(async () => {
    await h.close();
    await db.close();
  });

  /** A refused question turned into an inquiry, claimed and answered by staff. */
  async function learnedCase(options: { fromQuestion: boolean }) {
    const messageId = await insertMessage(h.db, { channel: 'telegram', chatId: '4004', text: QUESTION, intent: 'kb', answered: false, confident: false }, NOW);
    const filed = await h.desk.file({
      type: 'inquiry',
      channel: 'telegram',
      chatId: '4004',
      text: QUESTION,
      sourceMessageId: options.fromQuestion ? messageId : null,
      actor: 'citizen',
    });
    await h.desk.act(filed.code, { kind: 'claim' }, 'slack:USTAFF1');
    await h.desk.act(filed.code, { kind: 'reply', text: '正在核实，稍后答复。' }, 'slack:USTAFF1');
    await h.desk.act(filed.code, { kind: 'reply', text: REPLY }, 'slack:USTAFF1');
    return filed.code;
  }

  async function closeModalBlocks(code: string): Promise<Block[]> {
    const mark = h.stub.calls.length;
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.close, value: code }));
    const open = await h.stub.waitFor('views.open', () => true, { since: mark });
    return (open.body.view as { blocks: Block[] }).blocks;
  }

  const close = (code: string, draft: boolean) =>
    postInteraction(
      h.url,
      viewSubmission({
        callbackId: VIEWS.close,
        privateMetadata: code,
        values: { note: '已电话答复家长', ...(draft ? { draft: { selected_options: [{ value: 'draft' }] } } : {}) },
      }),
    );

  /**
   * Waits until the close (and its after-close work) is done: the case post shows
   * the close ran under the per-case lock; a second click on the case queues
   * behind that lock, so its answer comes after everything the close did.
   */
  async function settled(code: string): Promise<void> {
    await h.stub.waitFor('chat.postMessage', (c) => !c.body.thread_ts && JSON.stringify(c.body.blocks).includes(code));
    await postInteraction(h.url, blockAction({ actionId: CASE_ACTIONS.unreachable, value: code, responseUrl: h.stub.responseUrl('settled') }));
    const answer = await h.stub.waitFor('response_url', (c) => c.path === '/response/settled');
    expect(answer.body.text).toBe(`案件 ${code} 已不在办理中。`);
  }

  it('offers the checkbox; ticked, it writes a valid draft under _drafts/ and posts the path to the admins', async () => {
    const code = await learnedCase({ fromQuestion: true });
    const draftBlock = (await closeModalBlocks(code)).find((b) => b.block_id === 'draft');
    expect(draftBlock?.element).toMatchObject({ type: 'checkboxes', options: [{ value: 'draft', text: { text: '起草知识条目' } }] });

    expect((await close(code, true)).status).toBe(200);
    const post = await h.stub.waitFor('chat.postMessage', (c) => String(c.body.text).includes('起草了知识条目'));
    const path = join(dir, '_drafts', 'draft-xh-2026-000001.md');
    expect(post.body).toMatchObject({
      channel: 'CSTAFF01',
      text: `<@UADMIN> 案件 ${code} 办结时起草了知识条目：\`${path}\`\n请审核措辞，然后把文件移出 \`_drafts/\` 即可上线。`,
    });
    expect((await h.desk.get(code))?.state).toBe('closed');
    const markdown = readFileSync(path, 'utf8');
    expect(markdown).toContain(REPLY);
    expect(markdown).not.toContain('正在核实');
    expect(markdown).not.toContain('13812345678');
    const today = '2026-03-11';
    expect(markdown).toContain(`updated: ${today}`);
    expect(markdown).toContain('review_by: 2026-06-09'); // 90 days on
    expect((await listAudit(h.db, { subject: code })).filter((a) => a.action === 'kb.draft').map((a) => [a.actor, a.detail])).toEqual([['slack:USTAFF1', path]]);

    // Not live while in _drafts/; valid once an admin moves it into the knowledge base.
    expect((await loadKnowledge(dir)).entries.map((e) => e.id)).not.toContain('draft-xh-2026-000001');
    renameSync(path, join(dir, 'faq', 'draft-xh-2026-000001.md'));
    const loaded = await loadKnowledge(dir, { today });
    expect(loaded.problems).toEqual([]);
    const entry = loaded.entries.find((e) => e.id === 'draft-xh-2026-000001');
    expect(entry).toMatchObject({ title: '孩子户口在外地，初三能在溪湖区参加中考吗', questions: ['孩子户口在外地，初三能在溪湖区参加中考吗？我电话138****5678'] });
  });

  it('writes nothing when the box is left unticked', async () => {
    const code = await learnedCase({ fromQuestion: true });
    await close(code, false);
    await settled(code);
    expect((await h.desk.get(code))?.state).toBe('closed');
    expect(existsSync(join(dir, '_drafts'))).toBe(false);
    expect(h.stub.callsOf('chat.postMessage').filter((c) => String(c.body.text).includes('起草'))).toEqual([]);
  });

  it('does not offer it for a case that did not come from an unanswered question', async () => {
    const code = await learnedCase({ fromQuestion: false });
    expect((await closeModalBlocks(code)).map((b) => b.block_id)).not.toContain('draft');
    // A forged tick on such a case writes nothing either.
    await close(code, true);
    await settled(code);
    expect((await h.desk.get(code))?.state).toBe('closed');
    expect(existsSync(join(dir, '_drafts'))).toBe(false);
  });
});
