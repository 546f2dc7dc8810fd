import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { insertDisclosures, listDisclosures } from '../storage/disclosures-repo.js';
import { openStore } from '../storage/open-store.js';
import { writeCsv } from './csv-out.js';
import { DISCLOSURE_COLUMNS, parseDisclosureCsv } from './disclosure-csv.js';
import type { CliGroup } from './types.js';

const usage = `Usage: npm run cli -- disclosures import FILE.csv
       npm run cli -- disclosures export [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out FILE.csv]
  import  columns: ${DISCLOSURE_COLUMNS.join(', ')} (url may be empty). Every row is checked first:
          one bad row and nothing is imported. Duplicates (same url, or same title and date) are skipped and counted.
  export  CSV (UTF-8 with BOM, opens in Excel) to stdout or --out.`;

const group: CliGroup = {
  summary: 'disclosures import FILE.csv | disclosures export: the register of published information (主动公开)',
  usage,
  async run(args, io) {
    const [sub, ...rest] = args;
    let parsed: { values: { from?: string; to?: string; out?: string }; positionals: string[] };
    try {
      parsed = parseArgs({
        args: rest,
        options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
        allowPositionals: true,
      });
    } catch (error) {
      throw new AppError('cli_usage', `${(error as Error).message}\n${usage}`);
    }
    if (sub !== 'import' && sub !== 'export') throw new AppError('cli_usage', sub ? `Unknown disclosures command "${sub}".\n${usage}` : usage);
    const config = parseConfig(io.env);
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
        [[...DISCLOSURE_COLUMNS, 'created_by', 'created_at'], ...rows.map((r) => [r.title, r.category, r.channel, r.publishedOn, r.url, r.createdBy, r.createdAt])],
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
