import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { runCliCaptured } from '../helpers/cli.js';

/**
 * Knowledge files as Windows editors and old tools save them: with a UTF-8 byte-order mark, with CRLF
 * line ends, in GBK (older Chinese editors) or UTF-16 with a byte-order mark (Notepad's "Unicode"). All
 * load and answer; GBK and UTF-16 with a warning naming the encoding, and `kb teach` refuses to rewrite
 * them (it writes UTF-8 only). Bytes in no encoding we can read without guessing are named by line and skipped.
 */
const dir = mkdtempSync(join(tmpdir(), 'civicdesk-kbenc-'));
const env = { DATABASE_PATH: join(dir, 'test.db'), KNOWLEDGE_DIR: join(dir, 'knowledge') };
const cli = (args: string[]) => runCliCaptured(args, env);
const BOM = `\uFEFF---\nid: faq-uniform\ntitle: 校服征订\ncategory: faq\nquestions:\n  - 校服必须买吗\ntags: [校服]\n---\n\n## 征订原则\n\n校服由家长自愿购买，学校不得强制。\n`;
const CRLF = `---\nid: faq-lunch\ntitle: 午餐与午休\ncategory: faq\nquestions:\n  - 学校管午饭吗\ntags: [午餐, 午休]\n---\n\n## 午餐\n\n学校食堂提供午餐，每餐8元。\n`.replace(/\n/g, '\r\n');
// "## 报名" in GBK: 0xB1 0xA8 0xC3 0xFB, which is not UTF-8.
const GBK = Buffer.concat([Buffer.from('---\nid: faq-gbk\ntitle: gbk\ncategory: faq\n---\n\n## '), Buffer.from([0xb1, 0xa8, 0xc3, 0xfb]), Buffer.from('\nApply at the school.\n')]);
// A whole entry in GBK, as an older editor saves it, and the same in UTF-16LE with Notepad's byte-order mark.
const gbkEntry = new TextEncoder().encode('---\nid: faq-fee\ntitle: 课后服务收费\ncategory: faq\nquestions:\n  - 课后服务怎么收费\n---\n课后服务每月收费200元。\n');
const UTF16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('---\nid: faq-bus\ntitle: 校车\ncategory: faq\nquestions:\n  - 学校有校车吗\n---\n本区学校不统一提供校车。\n', 'utf16le')]);
// 0xFF is no UTF-8 lead byte and no GB18030 one either: unreadable without guessing.
const UNREADABLE = Buffer.concat([Buffer.from('---\nid: faq-x\ntitle: x\ncategory: faq\n---\n\n'), Buffer.from([0xff, 0x41]), Buffer.from('\n')]);

beforeAll(() => {
  mkdirSync(env.KNOWLEDGE_DIR);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'bom.md'), BOM);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'crlf.md'), CRLF);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'gbk.md'), GBK);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'gbk-entry.md'), gbk(gbkEntry));
  writeFileSync(join(env.KNOWLEDGE_DIR, 'utf16.md'), UTF16);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'unreadable.md'), UNREADABLE);
});

/** UTF-8 bytes re-encoded as GBK by the bytes a GBK editor writes for these characters (no encoder in Node: a small table). */
function gbk(utf8: Uint8Array): Buffer {
  const table: Record<string, number[]> = {
    课: [0xbf, 0xce], 后: [0xba, 0xf3], 服: [0xb7, 0xfe], 务: [0xce, 0xf1], 收: [0xca, 0xd5], 费: [0xb7, 0xd1], 怎: [0xd4, 0xf5],
    么: [0xc3, 0xb4], 每: [0xc3, 0xbf], 月: [0xd4, 0xc2], 元: [0xd4, 0xaa], '。': [0xa1, 0xa3],
  };
  const out: number[] = [];
  for (const ch of new TextDecoder().decode(utf8)) out.push(...(table[ch] ?? [...Buffer.from(ch)]));
  return Buffer.from(out);
}

describe('knowledge files with a BOM, CRLF line ends, or not UTF-8', () => {
  it('kb check loads the BOM, CRLF, GBK and UTF-16 files, warns on the last two, and names the unreadable file by line', async () => {
    const { out, err, code } = await cli(['kb', 'check']);
    const all = `${out}\n${err}`;
    expect(all).toContain(`${join(env.KNOWLEDGE_DIR, 'unreadable.md')}:7: not UTF-8 (invalid byte 0xFF), nor GBK: save the file as UTF-8`);
    expect(all).toContain(`${join(env.KNOWLEDGE_DIR, 'gbk-entry.md')}:1: warning: saved as GBK (GB18030), not UTF-8: read as GBK (GB18030); title read as "课后服务收费"`);
    expect(all).toContain(`${join(env.KNOWLEDGE_DIR, 'utf16.md')}:1: warning: saved as UTF-16LE, not UTF-8`);
    expect(all).toMatch(/5 entries loaded, 1 error/);
    expect(code).toBe(1);
  });

  it('answers from the GBK and the UTF-16 file', async () => {
    expect((await cli(['kb', 'search', '课后服务怎么收费'])).out).toContain('每月收费200元');
    expect((await cli(['kb', 'search', '学校有校车吗'])).out).toContain('不统一提供校车');
  });

  it('kb teach refuses to rewrite a GBK file and leaves its bytes as they were', async () => {
    const before = readFileSync(join(env.KNOWLEDGE_DIR, 'gbk-entry.md'));
    const { code, out, err } = await cli(['kb', 'teach', '托管费多少钱', 'faq-fee']);
    expect(code).not.toBe(0);
    expect(`${out}${err}`).toContain('is saved as GB18030, not UTF-8: save it as UTF-8');
    expect(readFileSync(join(env.KNOWLEDGE_DIR, 'gbk-entry.md'))).toEqual(before);
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

describe('_synonyms.yaml saved as GBK', () => {
  it('is read as GBK with a warning (before: read as UTF-8, its words became U+FFFD and matched nothing)', async () => {
    const kb = join(mkdtempSync(join(tmpdir(), 'civicdesk-kbsyn-')), 'knowledge');
    mkdirSync(kb);
    writeFileSync(join(kb, 'fee.md'), '---\nid: faq-fee\ntitle: 课后服务收费\ncategory: faq\n---\n课后服务每月收费200元。\n');
    // "synonyms:\n  - [托管, 课后服务]\n" in GBK.
    const word = (...bytes: number[]) => Buffer.from(bytes);
    writeFileSync(
      join(kb, '_synonyms.yaml'),
      Buffer.concat([Buffer.from('synonyms:\n  - ['), word(0xcd, 0xd0, 0xb9, 0xdc), Buffer.from(', '), word(0xbf, 0xce, 0xba, 0xf3, 0xb7, 0xfe, 0xce, 0xf1), Buffer.from(']\n')]),
    );
    const loaded = await loadKnowledge(kb);
    expect(loaded.problems).toEqual([]);
    expect(loaded.synonyms.groups).toEqual([['托管', '课后服务']]);
    expect(loaded.warnings.map((w) => `${w.path.slice(kb.length + 1)}:${w.line}: ${w.message}`)).toEqual([
      '_synonyms.yaml:1: saved as GBK (GB18030), not UTF-8: read as GBK (GB18030). Save it as UTF-8 (kb teach writes only UTF-8 files)',
    ]);
  });
});
