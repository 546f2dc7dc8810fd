import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/cli.js';
import { insertMessage, type MessageInsert } from '../../src/storage/messages-repo.js';
import { openStore } from '../../src/storage/open-store.js';

const dir = mkdtempSync(join(tmpdir(), 'civicdesk-kbteach-'));
const env = { DATABASE_PATH: join(dir, 'test.db'), KNOWLEDGE_DIR: join(dir, 'knowledge') };
const cli = (args: string[]) => runCliCaptured(args, env);
const FEES = `---\nid: faq-fees\ntitle: 课后服务收费标准\ncategory: faq\nquestions:\n  - 课后服务收多少钱\ntags: [课后服务]\n---\n\n## 收费标准\n\n每学期300元。\n`;
const KINDER = `---\nid: kindergarten\ntitle: 公办幼儿园入园\ncategory: enrollment\nquestions: [幼儿园怎么报名]\n---\n\n## 报名\n\n每年5月网上报名。\n`;

beforeAll(async () => {
  mkdirSync(env.KNOWLEDGE_DIR);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'fees.md'), FEES);
  writeFileSync(join(env.KNOWLEDGE_DIR, 'kinder.md'), KINDER);
  const db = await openStore(env.DATABASE_PATH);
  const base: MessageInsert = { channel: 'telegram', chatId: '7', text: null, intent: 'kb', answered: false, confident: false };
  const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
  await insertMessage(db, { ...base, text: '托管班一学期交多少' }, ago(3));
  await insertMessage(db, { ...base, text: '托管班一学期交多少钱' }, ago(2));
  await insertMessage(db, { ...base, text: '小班几月份网上报' }, ago(1));
  await db.close();
});

describe('cli: kb teach', () => {
  it('appends the message to the entry (one-line diff), closes its gap group and reports the new best match', async () => {
    const { code, out } = await cli(['kb', 'teach', '托管班一学期交多少', 'faq-fees']);
    expect(code).toBe(0);
    expect(readFileSync(join(env.KNOWLEDGE_DIR, 'fees.md'), 'utf8')).toBe(FEES.replace('  - 课后服务收多少钱\n', '  - 课后服务收多少钱\n  - 托管班一学期交多少\n'));
    expect(readFileSync(join(env.KNOWLEDGE_DIR, 'kinder.md'), 'utf8')).toBe(KINDER);
    expect(out).toContain('(questions): 托管班一学期交多少\n');
    expect(out).toMatch(/Gap group [0-9a-f]{10} \(托管班一学期交多少 ×2\) resolved by faq-fees\.\n/);
    expect(out).toContain('Best match now: faq-fees (课后服务收费标准).');
    const gaps = await cli(['kb', 'gaps']);
    expect(gaps.out).toContain('托管班一学期交多少 [resolved by faq-fees]');
    expect(gaps.out).toContain('1 open group');
    expect(gaps.out).toContain('File a group under the entry that answers it (归入…): npm run cli -- kb teach --key KEY ENTRY_ID');
  });

  it('teaches a gap group by its key (its most frequent wording)', async () => {
    const list = await cli(['kb', 'gaps']);
    const key = /×1 {2}小班几月份网上报\n {3}key ([0-9a-f]{10})/.exec(list.out)![1]!;
    const { code } = await cli(['kb', 'teach', '--key', key, 'kindergarten']);
    expect(code).toBe(0);
    expect(readFileSync(join(env.KNOWLEDGE_DIR, 'kinder.md'), 'utf8')).toBe(KINDER.replace('[幼儿园怎么报名]', '[幼儿园怎么报名, 小班几月份网上报]'));
    expect((await cli(['kb', 'gaps'])).out).toContain('小班几月份网上报 [resolved by kindergarten]');
  });

  it('leaves a parent\'s name, home address and phone out of the file and says so; refuses a message that is nothing else (review 18b B5)', async () => {
    const before = readFileSync(join(env.KNOWLEDGE_DIR, 'kinder.md'), 'utf8');
    const { code, out } = await cli(['kb', 'teach', '我是王小明妈妈，住彩屯街道幸福小区3号楼2单元501，电话13912345678，孩子能上哪个幼儿园', 'kindergarten']);
    expect(code).toBe(0);
    expect(out).toContain('(questions): 孩子能上哪个幼儿园\n');
    expect(out).toContain('Left out, not written to the file (personal details): 3 part(s) of the message holding a name, an address, a phone or ID number.\n');
    const after = readFileSync(join(env.KNOWLEDGE_DIR, 'kinder.md'), 'utf8');
    expect(after).toBe(before.replace(/questions: \[(.*)\]/, 'questions: [$1, 孩子能上哪个幼儿园]'));
    expect(after).not.toMatch(/王小明|幸福小区|5678/);

    const refused = await cli(['kb', 'teach', '我叫李华，电话13912345678', 'kindergarten']);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('The message holds nothing but personal details (a name, a phone or ID number); nothing was written.');
    expect(readFileSync(join(env.KNOWLEDGE_DIR, 'kinder.md'), 'utf8')).toBe(after);
  });

  it('says what is wrong with an unknown entry or missing arguments, and changes nothing', async () => {
    const before = readFileSync(join(env.KNOWLEDGE_DIR, 'fees.md'), 'utf8');
    const bad = await cli(['kb', 'teach', '托管班几点放学', 'no-such-entry']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('No entry with id "no-such-entry"');
    expect((await cli(['kb', 'teach', '只有消息'])).err).toContain('kb teach needs a message (or --key) and an entry id.');
    expect(readFileSync(join(env.KNOWLEDGE_DIR, 'fees.md'), 'utf8')).toBe(before);
  });
});
