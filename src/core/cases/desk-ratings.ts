import { recordAudit } from '../../storage/audit-repo.js';
import * as repo from '../../storage/cases-repo.js';
import { dateInZone, isIsoDate } from '../calendar/dates.js';
import { caseError } from '../i18n/errors-text.js';
import { startOfLocalDay } from '../reports/local-time.js';
import { botCanReach } from './answer-way.js';
import type { DeskContext } from './desk-context.js';
import type { CaseDeskImpl } from './desk.js';
import { resolveRating } from './ratings.js';
import { RATING_WAYS, type RatingInput } from './types.js';

/**
 * Ratings staff record for closed cases without a chat (review17 #15): the 民心网 / phone / letter / visit citizen
 * rates on 民心网, on the 回访 call, in writing or in person, and the desk keeps that way with the rating.
 */
export function ratingMethods(ctx: DeskContext): Pick<CaseDeskImpl, 'recordRating'> {
  const { now, scales, timeZone, inTransaction, mustFind, event, announce } = ctx;
  return {
    async recordRating(code, input, actor) {
      if (!(RATING_WAYS as readonly string[]).includes(input.via))
        throw caseError('case_invalid', 'ratingWay', { ways: RATING_WAYS.join('/'), value: String(input.via).slice(0, 20) });
      return inTransaction(async (tx) => {
        const record = await mustFind(tx, code, true);
        // A value off the scale is named first (its 1–5 or 民心网 levels), whatever the case's state: a typo is fixed once.
        const minxin = input.via === '民心网';
        const rating: RatingInput =
          input.value === null ? { declined: true } : { scale: minxin ? 'minxin' : 'stars', value: input.value };
        const resolved = resolveRating(scales, rating, record.code, minxin ? 'minxin' : record.channel);
        if (record.state !== 'closed')
          throw caseError('case_illegal_transition', 'rateBeforeClose', { code: record.code, state: record.state });
        // The parent rates a chat case in the chat: staff neither record it for them nor overwrite it.
        if (botCanReach(record)) throw caseError('case_illegal_transition', 'ratingIsCitizens', { code: record.code });
        const at = now();
        const today = dateInZone(at, timeZone);
        const closedOn = dateInZone(new Date(record.closedAt ?? at), timeZone);
        const on = input.on?.trim() || today;
        if (!isIsoDate(on) || on > today || on < closedOn) throw caseError('case_invalid', 'ratingDate', { value: on.slice(0, 20), today, closedOn });
        // A rating given on an earlier day counts on that day (monthly figures go by rated_at), never before the closing.
        const dayStart = startOfLocalDay(on, timeZone);
        const ratedAt = on === today ? at : new Date(Math.max(dayStart.getTime(), new Date(record.closedAt ?? at).getTime()));
        const earlier = await repo.findRating(tx, record.id);
        // Once per closing for a citizen's own rating; one staff recorded may be corrected (the trail keeps both).
        if (earlier && !earlier.via && record.closedAt && earlier.ratedAt >= record.closedAt)
          throw caseError('case_illegal_transition', 'ratedOnce', { code: record.code, label: earlier.label });
        await repo.upsertRating(tx, { caseId: record.id, ...resolved, ratedAt: ratedAt.toISOString(), via: input.via });
        const note = `${resolved.scale}:${resolved.value ?? '-'} ${resolved.label}`;
        const ev = await event(tx, record.id, at, actor, 'rated', { note, via: input.via });
        await announce(tx, record, ev, 'rated', at, false); // staff only: the citizen gave it themselves
        const replaces = earlier && record.closedAt && earlier.ratedAt >= record.closedAt ? { replaces: `${earlier.scale}:${earlier.value ?? '-'} ${earlier.label}` } : {};
        await recordAudit(tx, { actor, action: 'case.rate', subject: record.code, detail: { ...resolved, via: input.via, on, ...replaces }, at });
        return (await repo.findCaseById(tx, record.id))!;
      });
    },
  };
}
