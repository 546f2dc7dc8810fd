import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../../../src/storage/db.js';
import { openStore } from '../../../../src/storage/open-store.js';
import { insertRegisterItems } from '../../../../src/storage/registers-repo.js';

/** Builders for the annual-report tests: a real SQLite file in a temp dir, rows written directly. */
export async function tempStore(): Promise<{ db: Db; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-annual-'));
  return { db: await openStore(join(dir, 'test.db')), dir };
}

let seq = 0;
export interface CaseSeed {
  type?: string;
  channel?: string;
  state?: string;
  receivedAt: string; // ISO UTC
  closedAt?: string | null;
  repliedAt?: string | null;
  deadlineOn?: string | null;
  unreachable?: boolean;
  disclosureResult?: string | null;
  applicantType?: string | null;
  code?: string;
}

export async function insertCase(db: Db, c: CaseSeed): Promise<number> {
  seq++;
  const code = c.code ?? `XH-${c.receivedAt.slice(0, 4)}-${String(seq).padStart(6, '0')}`;
  const state = c.state ?? (c.closedAt ? 'closed' : 'received');
  const result = await db.run(
    `INSERT INTO cases (code, type, channel, state, text, received_at, replied_at, closed_at, deadline_on, unreachable,
       disclosure_result, applicant_type, created_at, updated_at)
     VALUES (?, ?, ?, ?, '测试诉求：学校门口交通拥堵', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      code,
      c.type ?? 'petition',
      c.channel ?? 'minxin',
      state,
      c.receivedAt,
      c.repliedAt ?? c.closedAt ?? null,
      c.closedAt ?? null,
      c.deadlineOn ?? null,
      c.unreachable ? 1 : 0,
      c.disclosureResult ?? null,
      c.applicantType ?? null,
      c.receivedAt,
      c.closedAt ?? c.receivedAt,
    ],
  );
  return result.lastID;
}

export async function rate(db: Db, caseId: number, r: { scale: string; value: number | null; label: string; declined?: boolean }) {
  await db.run('INSERT INTO ratings (case_id, scale, value, label, declined, rated_at) VALUES (?, ?, ?, ?, ?, ?)', [
    caseId,
    r.scale,
    r.value,
    r.label,
    r.declined ? 1 : 0,
    '2018-12-01T00:00:00.000Z',
  ]);
}

/** `n` disclosures of one category and channel in `year`, spread over the year. */
export async function insertDisclosures(db: Db, year: number, n: number, category: string, channel: string): Promise<void> {
  // Dates computed here so the statement runs on SQLite and PostgreSQL alike.
  const start = Date.UTC(year, 0, 1);
  for (let first = 1; first <= n; first += 200) {
    const rows = Array.from({ length: Math.min(200, n - first + 1) }, (_, j) => first + j);
    await db.run(
      `INSERT INTO disclosures (title, category, channel, published_on, created_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      rows.flatMap((i) => [
        `${category}·${channel}·第${i}条`,
        category,
        channel,
        new Date(start + (i % 365) * 86_400_000).toISOString().slice(0, 10),
        `${year}-01-01T00:00:00.000Z`,
      ]),
    );
  }
}

export const RENOVATIONS = ['溪湖区实验小学校舍维修改造工程', '溪湖区彩屯中学运动场改造工程'];
export const PROPOSAL = '关于加强中小学校园周边交通安全管理的提案';

/**
 * The reference report's 2018 facts: 1,024 items published (区政府信息公开平台 424,
 * 本溪市教育网 600), 29 petitions (民心网 20, phone 9) with ratings 六星级 1, 五星级 17,
 * 不参与评星 2, one petitioner unreachable, none overdue; 2 renovation projects;
 * 1 政协提案; no 政府信息公开申请, 复议 or 诉讼. Plus a 2019 case just after midnight that must not count.
 */
export async function seedReference2018(db: Db): Promise<void> {
  const published: [string, string, number][] = [
    ['重大新闻', '区政府信息公开平台', 200],
    ['重大新闻', '本溪市教育网', 100],
    ['校园快讯', '本溪市教育网', 500],
    ['招生政策', '区政府信息公开平台', 100],
    ['招生计划', '区政府信息公开平台', 74],
    ['规范性文件', '区政府信息公开平台', 50],
  ];
  for (const [category, channel, n] of published) await insertDisclosures(db, 2018, n, category, channel);
  for (let i = 0; i < 29; i++) {
    const minxin = i < 20;
    const month = String((i % 12) + 1).padStart(2, '0');
    const id = await insertCase(db, {
      channel: minxin ? 'minxin' : 'phone',
      receivedAt: `2018-${month}-05T02:00:00.000Z`,
      closedAt: `2018-${month}-10T02:00:00.000Z`,
      deadlineOn: `2018-${month}-20`,
      unreachable: i === 28,
    });
    if (!minxin) continue;
    if (i === 0) await rate(db, id, { scale: 'minxin', value: 6, label: '六星级' });
    else if (i <= 17) await rate(db, id, { scale: 'minxin', value: 5, label: '五星级' });
    else await rate(db, id, { scale: 'minxin', value: null, label: '不参与评星', declined: true });
  }
  // 2019-01-01 00:30 in 本溪 is still 2018 in UTC: must count for 2019, not 2018.
  await insertCase(db, { channel: 'minxin', receivedAt: '2018-12-31T16:30:00.000Z' });
  await insertRegisterItems(
    db,
    'project',
    RENOVATIONS.map((title, i) => ({ title, dateOn: `2018-0${8 + i}-25`, note: '已完工并公开实施情况' })),
    'test',
    new Date('2026-11-20T02:00:00Z'),
  );
  await insertRegisterItems(db, 'proposal', [{ category: '政协提案', title: PROPOSAL, dateOn: '2018-06-28' }], 'test', new Date('2026-11-20T02:00:00Z'));
}
