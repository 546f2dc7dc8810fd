import { relative } from 'node:path';
import { parseConfig } from '../config.js';
import { AppError } from '../core/errors.js';
import { teachGap } from '../core/gaps/teach.js';
import { DETAIL_NAMES } from '../knowledge/teach.js';
import { recordAudit } from '../storage/audit-repo.js';
import { openStore } from '../storage/open-store.js';
import { parseKbArgs } from './kb-args.js';
import { dateIn, daysAgo, openKnowledge, parseDays, type LiveKnowledge } from './kb-gaps-support.js';
import type { KbSubcommand } from './kb.js';

/**
 * `kb teach "MESSAGE" ENTRY_ID` / `kb teach --key KEY ENTRY_ID`: appends the message (or a gap
 * group's most frequent wording) to the entry's `questions`, reloads the knowledge base to check
 * it, and marks the gap group it belonged to resolved by that entry. A running bot reloads the
 * changed file by itself (it watches the knowledge folder).
 */
const usage = `Usage: npm run cli -- kb teach "MESSAGE" ENTRY_ID [--days N] [--knowledge DIR]
       npm run cli -- kb teach --key GAP_KEY ENTRY_ID [--days N] [--knowledge DIR]`;

const teach: KbSubcommand = {
  summary: 'attach a missed message to the entry that answers it (appended to its questions; closes the gap)',
  async run(args, io) {
    const parsed = parseKbArgs(args, io.env, ['--days', '--key']);
    const key = parsed.values.key;
    const [first, second, ...extra] = parsed.positional;
    const message = key === undefined ? first : undefined;
    const entryId = key === undefined ? second : first;
    if (!entryId || extra.length > 0 || (key !== undefined && second !== undefined)) throw new AppError('cli_usage', `kb teach needs a message (or --key) and an entry id.\n${usage}`);
    const config = parseConfig(io.env);
    const now = new Date();
    const today = dateIn(now, config.TIMEZONE);
    let knowledge: LiveKnowledge = await openKnowledge(parsed.knowledge, io, today);
    const db = await openStore(config.DATABASE_PATH);
    try {
      const result = await teachGap(db, {
        entryId,
        ...(message !== undefined ? { message } : {}),
        ...(key !== undefined ? { key } : {}),
        actor: 'cli',
        since: daysAgo(now, parseDays(parsed.values.days, 30)),
        now,
        normalize: knowledge.normalize,
        entries: knowledge.entries,
        reload: async () => {
          knowledge = await openKnowledge(parsed.knowledge, io, today);
        },
        entryQuestions: (id) => knowledge.entries.find((e) => e.id === id)?.questions,
      });
      const file = relative(process.cwd(), result.entry.path) || result.entry.path;
      io.stdout.write(
        result.edit.added
          ? `Added to ${file} (questions): ${result.edit.question}\n`
          : `${file} already lists this question; the file is unchanged.\n`,
      );
      const leftOut = result.edit.leftOut;
      if (leftOut)
        io.stdout.write(`Left out, not written to the file (personal details): ${leftOut.parts} part(s) of the message holding ${leftOut.kinds.map((k) => DETAIL_NAMES[k]).join(', ')}.\n`);
      if (result.group) {
        await recordAudit(db, { actor: 'cli', action: 'kb.gaps.resolved', subject: result.group.key, detail: result.entry.id, at: new Date() });
        io.stdout.write(`Gap group ${result.group.key} (${result.group.representative} ×${result.group.count}) resolved by ${result.entry.id}.\n`);
      }
      const best = knowledge.bestMatch(result.edit.question);
      io.stdout.write(`Best match now: ${best ? `${best.id} (${best.title})` : 'none'}. A running bot reloads the file by itself.\n`);
      return 0;
    } finally {
      await db.close();
    }
  },
};

export default teach;
