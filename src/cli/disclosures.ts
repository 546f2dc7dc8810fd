import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { formatLocalDateTime } from '../core/reports/local-time.js';
import { insertDisclosures, listDisclosures, removeDisclosure } from '../storage/disclosures-repo.js';
import { openStore } from '../storage/open-store.js';
import { writeCsv } from './csv-out.js';
import { DISCLOSURE_COLUMNS, parseDisclosureCsv } from './disclosure-csv.js';
import type { CliGroup } from './types.js';

const usage = `Usage: npm run cli -- disclosures import FILE.csv
       npm run cli -- disclosures export [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out FILE.csv]
       npm run cli -- disclosures remove ID --reason TEXT
  import  columns: ${DISCLOSURE_COLUMNS.join(', ')} (url may be empty). Every row is checked first:
          one bad row and nothing is imported. Duplicates (same url, or same title and date) are skipped and counted.
  export  CSV (UTF-8 with BOM, opens in Excel) to stdout or --out; created_at in the bureau's time zone; the last
          column is the item's id. A file exported here imports again unchanged.
  remove  takes one logged item out of the register (logged twice, wrong 栏目 or date: log it again correctly);
          the audit log keeps who removed what and why.`;

const group: CliGroup = {
  summary: 'disclosures import FILE.csv | disclosures export | disclosures remove ID: the register of published information (主动公开)',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    let parsed: { values: { from?: string; to?: string; out?: string; reason?: string }; positionals: string[] };
    try {
      parsed = parseArgs({
        args: rest,
        options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, reason: { type: 'string' } },
        allowPositionals: true,
      });
    } catch (error) {
      throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
    }
    if (sub !== 'import' && sub !== 'export' && sub !== 'remove') throw new AppError('cli_usage', sub ? `Unknown disclosures command "${sub}".\n${usage}` : usage);
    const config = parseConfig(io.env);
    if (sub === 'remove') {
      const [idText] = parsed.positionals;
      const id = Number(idText);
      if (parsed.positionals.length !== 1 || !Number.isInteger(id) || id <= 0) throw new AppError('cli_usage', `disclosures remove takes one item id (the export's last column).\n${usage}`);
      const reason = parsed.values.reason?.trim();
      if (!reason) throw new AppError('cli_usage', `disclosures remove needs --reason (kept in the audit log).\n${usage}`);
      const db = await openStore(config.DATABASE_PATH);
      try {
        const removed = await removeDisclosure(db, { id, actor: 'cli', reason }, new Date());
        if (!removed) throw new AppError('cli_usage', `No logged publication has id ${id}; run \`disclosures export\` to see the ids.`);
        io.stdout.write(`Removed disclosure ${id}: ${removed.title} (${removed.publishedOn}, ${removed.category}).\n`);
      } finally {
        await db.close();
      }
      return 0;
    }
    if (sub === 'import') {
      const [file] = parsed.positionals;
      if (!file || parsed.positionals.length > 1) throw new AppError('cli_usage', `disclosures import takes exactly one FILE.csv.\n${usage}`);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new AppError('import_invalid', `Cannot read ${file}: ${(error as Error).message}`, { cause: error });
      }
      const rows = parseDisclosureCsv(text, file, 'cli');
      const db = await openStore(config.DATABASE_PATH);
      try {
        const { inserted, duplicates } = await insertDisclosures(db, rows, new Date());
        io.stdout.write(`Imported ${inserted} disclosure(s) from ${file}; skipped ${duplicates} duplicate(s).\n`);
      } finally {
        await db.close();
      }
      return 0;
    }
    const db = await openStore(config.DATABASE_PATH);
    try {
      const rows = await listDisclosures(db, { from: parsed.values.from, to: parsed.values.to });
      writeCsv(
        [
          [...DISCLOSURE_COLUMNS, 'created_by', `created_at (${config.TIMEZONE})`, 'id'],
          ...rows.map((r) => [r.title, r.category, r.channel, r.publishedOn, r.url, r.createdBy, formatLocalDateTime(r.createdAt, config.TIMEZONE), r.id]),
        ],
        io.stdout,
        parsed.values.out,
      );
      if (parsed.values.out) io.stderr.write(`Wrote ${rows.length} disclosure(s) to ${parsed.values.out}.\n`);
    } finally {
      await db.close();
    }
    return 0;
  },
};

export default group;
