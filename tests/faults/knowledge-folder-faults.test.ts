import { cpSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKnowledgeService } from '../../src/knowledge/service.js';
import { createEngineStack, parent, tempDir } from './helpers/engine-stack.js';
import { captureLogger } from './helpers/capture-logger.js';

/**
 * The knowledge folder itself failing under a running bot: removed or renamed (a deploy replacing it, an
 * admin moving it), or emptied. A reload then must not swap in an empty index — the bot would answer no
 * parent and /healthz would go 503 — but keep the entries it has, say why (one error line, the reload
 * report that reaches the admins), and load the folder again once it is back.
 */
const PHONE_QUESTION = '教育局电话是多少？';

async function liveCopy() {
  const root = tempDir('civicdesk-kb-folder-');
  const dir = join(root, 'knowledge');
  cpSync('knowledge', dir, { recursive: true });
  const log = captureLogger();
  const service = createKnowledgeService({ dir, logger: log.logger, today: () => '2026-11-28' });
  const first = await service.reload();
  const { engine } = await createEngineStack({ knowledge: service });
  return { root, dir, service, log, first, engine };
}

describe('the knowledge folder removed, renamed or emptied under the running bot', () => {
  it('removed: keeps answering from the loaded entries, reports the folder, reloads once it is back', async () => {
    const { root, dir, service, log, first, engine } = await liveCopy();
    renameSync(dir, join(root, 'knowledge.moved'));

    const report = await service.reload();
    expect(report.entries).toBe(first.entries);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]?.path).toBe(dir);
    expect(report.problems[0]?.message).toMatch(/cannot read the knowledge folder.*still answering from the \d+ entries/);
    expect(service.current().size).toBe(first.entries);
    const answer = await parent(engine, 'kb-gone').say(PHONE_QUESTION);
    expect(answer[0]?.text).toContain('024-42842001');
    expect(log.lines().filter((l) => String(l.msg).startsWith('knowledge reload refused'))).toHaveLength(1);

    renameSync(join(root, 'knowledge.moved'), dir);
    const back = await service.reload();
    expect(back.problems).toEqual([]);
    expect(back.keptPrevious).toEqual([]);
    expect(back.entries).toBe(first.entries);
  });

  it('emptied (every file gone, the folder left): keeps the loaded entries and says so', async () => {
    const { root, dir, service, first, engine } = await liveCopy();
    renameSync(dir, join(root, 'old'));
    mkdirSync(dir);
    const report = await service.reload();
    expect(report.entries).toBe(first.entries);
    expect(report.problems[0]?.message).toMatch(/no entries now.*still answering/);
    expect((await parent(engine, 'kb-empty').say(PHONE_QUESTION))[0]?.text).toContain('024-42842001');
  });
});
