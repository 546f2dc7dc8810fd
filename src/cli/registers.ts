import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { parseConfig } from '../config.js';
import { t } from '../core/i18n/index.js';
import '../core/i18n/staff.js';
import { AppError } from '../core/errors.js';
import {
  REGISTER_KINDS,
  REGISTER_KIND_NAMES,
  isRegisterKind,
  parseRegisterItem,
  type FieldSpec,
  type RegisterItemInput,
  type RegisterKind,
} from '../core/reports/annual/registers.js';
import { openStore } from '../storage/open-store.js';
import { dateInZone } from '../core/calendar/dates.js';
import { insertRegisterItems, listRegisterItems, removeRegisterItem } from '../storage/registers-repo.js';
import type { CliGroup, CliIo } from './types.js';
import type { Locale } from '../core/types.js';

/**
 * `registers add|import|list KIND …`: the registers behind the annual report
 * (规范性文件, 行政许可, 建议提案, 行政复议/诉讼, fees, projects). Flags and CSV
 * headers are the field names of REGISTER_KINDS (camelCase or kebab-case; CSV
 * headers may also be the Chinese labels). An import is all or nothing.
 */
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const fieldsOf = (kind: RegisterKind): readonly FieldSpec[] => REGISTER_KINDS[kind].fields;

function kindHelp(): string {
  return REGISTER_KIND_NAMES.map((k) => {
    const fields = fieldsOf(k).map((f) => `--${kebab(f.name)}${f.required ? '' : '?'}${f.options ? ` (${f.options.join('|')})` : ''}`);
    return `  ${k.padEnd(14)} ${REGISTER_KINDS[k].label}: ${fields.join(' ')}`;
  }).join('\n');
}

const usage = `Usage:
  npm run cli -- registers add KIND --field value …
  npm run cli -- registers import KIND FILE.csv
  npm run cli -- registers list KIND [--year YYYY]
  npm run cli -- registers remove KIND ID --reason TEXT
A date after today is refused; an item already registered (same title, 文号 and date) is refused by add and
skipped (and counted) by import. remove takes a duplicate or wrong item out (audited with the reason): add it
again correctly.
Kinds and fields (? = optional; dates YYYY-MM-DD; amounts in 元):
${kindHelp()}`;

function kindArg(kind: string | undefined): RegisterKind {
  if (kind && isRegisterKind(kind)) return kind;
  throw new AppError('cli_usage', `${kind ? `Unknown register "${kind}". ` : 'Which register? '}Kinds: ${REGISTER_KIND_NAMES.join(', ')}.\n${usage}`);
}

/** Maps a flag or CSV header (camelCase, kebab-case or the Chinese label) to the field name. */
function fieldName(kind: RegisterKind, key: string): string {
  const k = key.trim();
  return fieldsOf(kind).find((f) => f.name === k || kebab(f.name) === k || f.label === k)?.name ?? k;
}

async function add(kind: RegisterKind, args: string[], io: CliIo): Promise<number> {
  const options = Object.fromEntries(fieldsOf(kind).map((f) => [kebab(f.name), { type: 'string' as const }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options, strict: true }));
  } catch (error) {
    throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
  }
  const raw = Object.fromEntries(Object.entries(values).map(([k, v]) => [fieldName(kind, k), v]));
  const config = parseConfig(io.env);
  const parsed = parseRegisterItem(kind, raw, { today: dateInZone(new Date(), config.TIMEZONE), locale: config.STAFF_LOCALE });
  if (!parsed.ok)
    throw new AppError('import_invalid', `${REGISTER_KINDS[kind].label}: ${parsed.problems.map((p) => `--${kebab(p.split(':')[0] ?? '')}:${p.split(':').slice(1).join(':')}`).join('; ')}`);
  const db = await openStore(config.DATABASE_PATH);
  try {
    const [id] = await insertRegisterItems(db, kind, [parsed.item], 'cli', new Date(), { locale: config.STAFF_LOCALE });
    io.stdout.write(`${t(config.STAFF_LOCALE, 'staff.register.added', { label: REGISTER_KINDS[kind].label, id: id ?? '-', title: String(parsed.item.title), date: String(parsed.item.dateOn) })}\n`);
  } finally {
    await db.close();
  }
  return 0;
}

/** Validates every row; returns the items or throws one error listing `file:line: field: message` for all bad rows. */
export function parseRegisterCsv(kind: RegisterKind, file: string, text: string, today?: string, locale: Locale = 'zh'): RegisterItemInput[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, info: true });
  } catch (error) {
    throw new AppError('import_invalid', `${file}: not a valid CSV file: ${(error as Error).message}`);
  }
  const items: RegisterItemInput[] = [];
  const problems: string[] = [];
  for (const { record, info } of records) {
    const raw = Object.fromEntries(Object.entries(record).map(([k, v]) => [fieldName(kind, k), v]));
    const parsed = parseRegisterItem(kind, raw, { today, locale });
    if (parsed.ok) items.push(parsed.item);
    else for (const p of parsed.problems) problems.push(`${file}:${info.lines}: ${p}`);
  }
  if (problems.length > 0)
    throw new AppError('import_invalid', `${t(locale, 'staff.register.check.nothingImported')}\n  ${problems.join('\n  ')}`, {
      details: problems,
    });
  if (items.length === 0) throw new AppError('import_invalid', `${file}: no rows to import (a header line and at least one row are needed).`);
  return items;
}

async function importCsv(kind: RegisterKind, args: string[], io: CliIo): Promise<number> {
  const [file] = args;
  if (!file) throw new AppError('cli_usage', `registers import ${kind} needs a CSV file.\n${usage}`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('import_invalid', `Cannot read ${file}: ${(error as Error).message}`);
  }
  const config = parseConfig(io.env);
  const items = parseRegisterCsv(kind, file, text, dateInZone(new Date(), config.TIMEZONE), config.STAFF_LOCALE);
  const db = await openStore(config.DATABASE_PATH);
  let added: number;
  try {
    added = (await insertRegisterItems(db, kind, items, 'cli', new Date(), { skipDuplicates: true, locale: config.STAFF_LOCALE })).length;
  } finally {
    await db.close();
  }
  const skipped = items.length - added;
  const l = config.STAFF_LOCALE;
  const skippedText = skipped > 0 ? t(l, 'staff.register.skipped', { count: skipped }) : '';
  io.stdout.write(`${t(l, 'staff.register.imported', { label: REGISTER_KINDS[kind].label, added, skipped: skippedText })}\n`);
  return 0;
}

async function remove(kind: RegisterKind, args: string[], io: CliIo): Promise<number> {
  let parsed: { values: { reason?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { reason: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
  }
  const id = Number(parsed.positionals[0]);
  if (parsed.positionals.length !== 1 || !Number.isInteger(id) || id <= 0)
    throw new AppError('cli_usage', `registers remove ${kind} takes one item id (the # of registers list ${kind}).\n${usage}`);
  const reason = parsed.values.reason?.trim();
  if (!reason) throw new AppError('cli_usage', `registers remove needs --reason (kept in the audit log).\n${usage}`);
  const config = parseConfig(io.env);
  const db = await openStore(config.DATABASE_PATH);
  try {
    const removed = await removeRegisterItem(db, { kind, id, actor: 'cli', reason }, new Date());
    const label = REGISTER_KINDS[kind].label;
    if (!removed) throw new AppError('cli_usage', t(config.STAFF_LOCALE, 'staff.register.notFound', { label, id, kind }));
    io.stdout.write(`${t(config.STAFF_LOCALE, 'staff.register.removed', { label, id, title: removed.title, date: removed.dateOn, reason })}\n`);
  } finally {
    await db.close();
  }
  return 0;
}

async function list(kind: RegisterKind, args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { year: { type: 'string' } } });
  if (values.year !== undefined && !/^\d{4}$/.test(values.year))
    throw new AppError('cli_usage', `--year must be YYYY (got "${values.year}").`);
  const config = parseConfig(io.env);
  const l = config.STAFF_LOCALE;
  const db = await openStore(config.DATABASE_PATH);
  try {
    const rows = await listRegisterItems(db, kind, { year: values.year === undefined ? undefined : Number(values.year) });
    for (const r of rows) {
      const extra = [r.category, r.ref, r.endOn && t(l, 'staff.register.until', { date: r.endOn }), r.outcome, r.amountYuan !== null && t(l, 'staff.register.yuan', { amount: r.amountYuan }), r.count > 1 && `×${r.count}`, r.note]
        .filter(Boolean)
        .join(' · ');
      io.stdout.write(`#${r.id}\t${r.dateOn}\t${r.title}${extra ? `\t${extra}` : ''}\n`);
    }
    if (rows.length === 0) io.stdout.write(`${t(l, 'staff.register.none', { label: REGISTER_KINDS[kind].label })}\n`);
  } finally {
    await db.close();
  }
  return 0;
}

const group: CliGroup = {
  summary: 'registers add|import|list|remove KIND: 规范性文件, 行政许可, 建议提案, 复议/诉讼 … for the annual report',
  usage,
  async run(args, io) {
    const [action, kind, ...rest] = args;
    if (action === 'add') return add(kindArg(kind), rest, io);
    if (action === 'import') return importCsv(kindArg(kind), rest, io);
    if (action === 'list') return list(kindArg(kind), rest, io);
    if (action === 'remove') return remove(kindArg(kind), rest, io);
    throw new AppError('cli_usage', `${action ? `Unknown action "${action}".\n` : ''}${usage}`);
  },
};

export default group;
