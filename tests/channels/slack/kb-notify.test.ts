import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notifyReloadProblems } from '../../../src/channels/slack/kb-notify.js';
import { PAGE_LIMITS, pageSections } from '../../../src/channels/slack/kb-pages.js';
import { createSlackPoster } from '../../../src/channels/slack/slack-poster.js';
import { startSlackStub, type SlackStub } from '../../helpers/slack-stub.js';

type Block = { type: string; text?: { text: string }; elements?: { text: string }[] };

describe('notifyReloadProblems', () => {
  let stub: SlackStub;
  let deps: Parameters<typeof notifyReloadProblems>[0];
  beforeEach(async () => {
    stub = await startSlackStub();
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: stub.apiUrl });
    deps = { poster: createSlackPoster(client, 'CSTAFF01'), adminUserIds: ['UADMIN', 'UADMIN2'], locale: 'zh' };
  });
  afterEach(async () => {
    await stub.close();
  });

  it('posts one message to the staff channel mentioning the admins, one `path:line: message` per problem', async () => {
    const problems = [
      'knowledge/enrollment/age.md:3: id must be lower-case letters, digits and dashes (got "Bad Id")',
      { path: 'knowledge/faq/<meals>.md', line: 7, message: 'review_by must be a date YYYY-MM-DD (got "明年")' },
    ];
    expect(await notifyReloadProblems(deps, { entries: 41, problems, keptPrevious: ['faq-school-meals'], buildMs: 12, swapMs: 0.1 })).toBe(true);
    const [post, ...more] = stub.callsOf('chat.postMessage');
    expect(more).toEqual([]);
    expect(post?.body.channel).toBe('CSTAFF01');
    expect(post?.body.text).toBe(
      '<@UADMIN> <@UADMIN2> 知识库重新加载时发现 2 个问题（出问题的条目继续使用旧版本）：\n' +
        'knowledge/enrollment/age.md:3: id must be lower-case letters, digits and dashes (got "Bad Id")\n' +
        'knowledge/faq/&lt;meals&gt;.md:7: review_by must be a date YYYY-MM-DD (got "明年")',
    );
    const blocks = post?.body.blocks as Block[];
    expect(blocks.map((b) => b.text?.text)).toEqual([
      '<@UADMIN> <@UADMIN2>',
      '知识库重新加载时发现 2 个问题（出问题的条目继续使用旧版本）：',
      '```knowledge/enrollment/age.md:3: id must be lower-case letters, digits and dashes (got "Bad Id")\nknowledge/faq/&lt;meals&gt;.md:7: review_by must be a date YYYY-MM-DD (got "明年")```',
      '继续使用旧版本的条目：`faq-school-meals`',
    ]);
  });

  it('stays one message within Block Kit limits for many problems, counting the rest', async () => {
    const problems = Array.from({ length: 250 }, (_, i) => `knowledge/faq/问题条目-${i}.md:2: title is required`);
    await notifyReloadProblems(deps, { entries: 10, problems, ms: 80 });
    const posts = stub.callsOf('chat.postMessage');
    expect(posts).toHaveLength(1);
    const blocks = posts[0]?.body.blocks as Block[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) expect(Array.from(b.text?.text ?? '').length).toBeLessThanOrEqual(3000);
    const json = JSON.stringify(blocks);
    expect(json).toContain('问题条目-99.md:2');
    expect(json).not.toContain('问题条目-100.md');
    expect(blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '…另有 150 个问题，运行 `npm run cli -- kb check` 查看全部。' }] });
  });

  it('posts nothing after a clean reload', async () => {
    expect(await notifyReloadProblems(deps, { entries: 41, problems: [], ms: 9 })).toBe(false);
    expect(stub.callsOf('chat.postMessage')).toEqual([]);
  });
});

describe('pageSections', () => {
  it('keeps sections, blocks and characters per page within limits and cuts after 5 pages', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `第${i}行：${'学区划分'.repeat(10)}`);
    const { pages, truncated } = pageSections(lines);
    expect(truncated).toBe(true);
    expect(pages).toHaveLength(PAGE_LIMITS.pages);
    for (const page of pages) {
      expect(page.length).toBeLessThanOrEqual(PAGE_LIMITS.blocksPerPage);
      expect(page.reduce((n, s) => n + Array.from(s).length, 0)).toBeLessThanOrEqual(PAGE_LIMITS.pageChars);
      for (const s of page) expect(Array.from(s).length).toBeLessThanOrEqual(PAGE_LIMITS.sectionChars);
    }
    expect(pages[0]?.[0]?.startsWith('第0行：')).toBe(true);
    expect(pageSections(['一行']).pages).toEqual([['一行']]);
  });
});
