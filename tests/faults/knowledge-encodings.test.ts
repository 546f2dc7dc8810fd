import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';

/**
 * Knowledge files as Windows editors and old tools save them: with a UTF-8 byte-order mark, with CRLF
 * line ends, or not in UTF-8 at all (GBK). The first two load and answer like any file, and `kb teach`
 * keeps their bytes; the third is named with its line and skipped, the others keep answering.
 */
const dir = mkdtempSync(join(tmpdir(), 'civicdesk-kbenc-'));
const env = { DATABASE_PATH: join(dir, 'test.db'), KNOWLEDGE_DIR: join(dir, 'knowledge') };
const cli = (args: string[]) => runCliCaptured(args, env);
const BOM = `\uFEFF---\nid: faq-uniform\ntitle: 校服征订\ncategory: faq\nquestions:\n  - 校服必须买吗\ntags: [校服]\n---\n\n## 征订原则\n\n校服由家长自愿购买，学校不得强制。\n`;
const CRLF = `---\nid: faq-lunch\ntitle: 午餐与午休\ncategory: faq\nquestions:\n  - 学校管午饭吗\ntags: [午餐, 午休]\n---\n\n## 午餐\n\n学校食堂提供午餐，每餐8元。\n`.replace(/\n/g, '\r\n');
// "## 报名" in GBK: 0xB1 0xA8 0xC3 0xFB, which is not UTF-8.
const GBK = Buffer.concat([Buffer.from('---\nid: faq-gbk\ntitle: gbk\ncategory: faq\n---\n\n## '), Buffer.from([0xb1, 0xa8, 0xc3, 0xfb]), Buffer.from('\n')]);

beforeAll(() => {
  mkdirSync(env.KNOWLEDGE_DIR);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'bom.md'), BOM);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'crlf.md'), CRLF);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'gbk.md'), GBK);
});

describe('knowledge files with a BOM, CRLF line ends, or not UTF-8', () => {
  it('kb check loads the BOM and CRLF files and names the GBK file by line', async () => {
    const { out, err } = await cli(['kb', 'check']);
    const all = `${out}\n${err}`;
    expect(all).toContain(`${join(env.KNOWLEDGE_DIR, 'gbk.md')}:7: not UTF-8 (invalid byte 0xB1): save the file as UTF-8`);
    expect(all).toMatch(/2 entries loaded, 1 error/);
  });

  it('answers from the BOM and the CRLF file', async () => {
    expect((await cli(['kb', 'search', '校服必须买吗'])).out).toContain('校服由家长自愿购买');
    expect((await cli(['kb', 'search', '学校管午饭吗'])).out).toContain('每餐8元');
  });

  it('kb teach keeps the byte-order mark and the CRLF line ends, adding one line each', async () => {
    expect((await cli(['kb', 'teach', '校服可以不买吗', 'faq-uniform'])).code).toBe(0);
    expect((await cli(['kb', 'teach', '中午在学校吃饭吗', 'faq-lunch'])).code).toBe(0);
    expect(readFileSync(join(env.KNOWLEDGE_DIR, 'bom.md'), 'utf8')).toBe(BOM.replace('  - 校服必须买吗\n', '  - 校服必须买吗\n  - 校服可以不买吗\n'));
    expect(readFileSync(join(env.KNOWLEDGE_DIR, 'crlf.md'), 'utf8')).toBe(CRLF.replace('  - 学校管午饭吗\r\n', '  - 学校管午饭吗\r\n  - 中午在学校吃饭吗\r\n'));
  });
});
