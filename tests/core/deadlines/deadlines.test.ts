import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chineseDaysSource, createWorkCalendar } from '../../../src/core/calendar/index.js';
import { clockStartDate, computeDeadline, explainDeadline, loadDeadlineRules, ruleInForce } from '../../../src/core/deadlines/index.js';

// The package's data up to 2026 only, so a newer chinese-days that knows 2027 cannot change these verdicts.
const pkg = chineseDaysSource();
const cal = createWorkCalendar({ source: { years: new Set([...pkg.years].filter((y) => y <= 2026)), special: pkg.special } });
const rules = loadDeadlineRules();

describe('deadline rules (rules/deadline-rules.yaml)', () => {
  it('ships the statutory defaults', () => {
    expect(rules.disclosure).toMatchObject({ unit: 'working', length: 20, extension: 20, clockStart: 'received' });
    expect(rules.petition).toMatchObject({ unit: 'calendar', length: 60, extension: 30 });
    expect([rules.inquiry.length, rules.help.length, rules.suggestion.length, rules.complaint.length]).toEqual([5, 10, 10, 10]);
    expect(new Set(Object.values(rules).map((r) => r.unit !== 'calendar' || r.label === '信访'))).toEqual(new Set([true]));
  });

  it('keeps the 2007 政府信息公开条例 limits for requests received before 2019-05-15, and refuses regimes out of order', () => {
    expect(ruleInForce(rules.disclosure, '2019-05-14')).toMatchObject({ length: 15, extension: 15, validTo: '2019-05-14' });
    expect(ruleInForce(rules.disclosure, '2019-05-15')).toMatchObject({ length: 20, extension: 20, validFrom: '2019-05-15' });
    expect(ruleInForce(rules.complaint, '2010-01-01')).toBe(rules.complaint);
    const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-rules-')), 'rules.yaml');
    const earlier = '[{ validTo: "2019-05-14", length: 15, source: b }, { validTo: "2010-01-01", length: 10, source: a }]';
    writeFileSync(path, readFileSync('rules/deadline-rules.yaml', 'utf8').replace('  inquiry:\n', `  inquiry:\n    earlier: ${earlier}\n`));
    expect(() => loadDeadlineRules(path)).toThrow('rules.inquiry.earlier: earlier: list the regimes oldest first');
  });

  it('reports every problem of a bad rules file at once', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'civicdesk-rules-')), 'rules.yaml');
    writeFileSync(path, 'rules:\n  inquiry: { label: 咨询, unit: weeks, length: 0, clockStart: received, source: x }\n');
    let message = '';
    try {
      loadDeadlineRules(path);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${path}: rules.inquiry.unit: unit must be "working" (工作日) or "calendar" (日)`);
    expect(message).toContain(`${path}: rules.inquiry.length: length must be a whole number of days ≥ 1`);
    expect(message).toContain(`${path}: rules.complaint:`);
  });
});

describe('computeDeadline', () => {
  it('counts 20 working days for a disclosure request across the Spring Festival', () => {
    const r = computeDeadline(cal, rules.disclosure, '2026-02-10');
    expect(r).toMatchObject({ deadlineOn: '2026-03-16', estimated: false, units: 20, movedFrom: null });
    expect(r.steps.filter((s) => s.kind === 'makeup').map((s) => [s.date, s.count])).toEqual([['2026-02-14', 4], ['2026-02-28', 9]]);
  });

  it('adds the one extension of 20 working days (清明 skipped)', () => {
    expect(computeDeadline(cal, rules.disclosure, '2026-02-10', { extended: true }).deadlineOn).toBe('2026-04-14');
  });

  it('counts across National Day', () => {
    expect(computeDeadline(cal, rules.disclosure, '2026-09-30').deadlineOn).toBe('2026-11-03');
    expect(computeDeadline(cal, rules.inquiry, '2026-09-28').deadlineOn).toBe('2026-10-10');
  });

  it('moves a calendar-day deadline off a holiday to the next working day (民法典 第二百零三条)', () => {
    const r = computeDeadline(cal, rules.petition, '2026-08-03');
    expect(r).toMatchObject({ deadlineOn: '2026-10-08', movedFrom: '2026-10-02', estimated: false });
    expect(computeDeadline(cal, rules.petition, '2026-08-03', { extended: true }).deadlineOn).toBe('2026-11-02'); // 11-01 is a Sunday
  });

  it('marks a deadline reaching past the last known year as estimated, counted with the statutory holidays', () => {
    // 2027-01-01 (元旦, a Friday) is a rest day by law even before the 2027 notice is out.
    expect(computeDeadline(cal, rules.disclosure, '2026-12-15')).toMatchObject({ deadlineOn: '2027-01-13', estimated: true });
    expect(computeDeadline(cal, rules.disclosure, '2026-12-20')).toMatchObject({ deadlineOn: '2027-01-18', estimated: true });
    expect(computeDeadline(cal, rules.inquiry, '2026-12-21')).toMatchObject({ deadlineOn: '2026-12-28', estimated: false });
    expect(computeDeadline(cal, rules.petition, '2026-11-10')).toMatchObject({ deadlineOn: '2027-01-11', movedFrom: '2027-01-09', estimated: true });
  });

  it('skips 除夕 to 正月初三 of an unpublished year: 2027-01-20 + 20 working days is 2027-02-19', () => {
    const r = computeDeadline(cal, rules.disclosure, '2027-01-20');
    expect(r).toMatchObject({ deadlineOn: '2027-02-19', estimated: true });
    const holidays = r.steps.filter((st) => st.kind === 'holiday').map((st) => [st.date, st.name]);
    expect(holidays).toEqual([
      ['2027-02-05', '春节'],
      ['2027-02-06', '春节'],
      ['2027-02-07', '春节'],
      ['2027-02-08', '春节'],
    ]);
  });

  it('starts the clock at 签收 for clockStart: claimed', () => {
    const rule = { ...rules.complaint, clockStart: 'claimed' as const };
    const times = { receivedAt: '2026-02-12T01:00:00Z', claimedAt: '2026-02-24T02:00:00Z' };
    expect(clockStartDate(rule, times, 'Asia/Shanghai')).toBe('2026-02-24');
    expect(clockStartDate(rules.complaint, times, 'Asia/Shanghai')).toBe('2026-02-12');
    // 16:30 UTC is 00:30 on the next day in Beijing.
    expect(clockStartDate(rules.complaint, { receivedAt: '2026-02-12T16:30:00Z', claimedAt: null }, 'Asia/Shanghai')).toBe('2026-02-13');
  });
});

describe('explainDeadline', () => {
  it('lists holidays by name, weekends and counted make-up days', () => {
    const text = explainDeadline('disclosure', rules.disclosure, computeDeadline(cal, rules.disclosure, '2026-02-10'), { lastKnownYear: 2026 });
    expect(text).toContain('Skipped:   14 rest days: 9 holiday days, 5 weekend days\n  holiday   2026-02-15 Sun 春节\n');
    expect(text).toContain('  counted   2026-02-28 Sat 春节 as working day #9\n');
    expect(text).toContain('Deadline:  2026-03-16 Mon\nEstimated: no (official calendar known up to 2026)\n');
  });

  it('says when the result is estimated, and why', () => {
    const text = explainDeadline('inquiry', rules.inquiry, computeDeadline(cal, rules.inquiry, '2026-12-28'), { lastKnownYear: 2026 });
    expect(text).toContain('  holiday   2027-01-01 Fri 元旦 (estimated)\n');
    expect(text).toContain('  weekend   2027-01-02 Sat (estimated)\n');
    expect(text).toContain('Deadline:  2027-01-05 Tue\n');
    expect(text).toContain('Estimated: YES: 2027年放假安排尚未发布，按法定节假日估算，未计调休 (official calendar known up to 2026;');
    expect(text).toContain('calendar import');
  });
});
