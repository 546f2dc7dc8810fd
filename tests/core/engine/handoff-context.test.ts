import { describe, expect, it } from 'vitest';
import { MAX_CONTEXT_LINE } from '../../../src/core/cases/validate.js';
import { contextLines } from '../../../src/core/engine/handoff.js';

describe('contextLines (an unsubmitted text as lines of a handoff case)', () => {
  const label = '家长（另一条诉求，尚未登记）';
  const body = (line: string) => line.replace(/^家长（另一条诉求，尚未登记）（第 \d+\/\d+ 段）: /u, '');

  it('keeps a short text as one line', () => {
    expect(contextLines(label, '老师体罚学生')).toEqual([`${label}: 老师体罚学生`]);
  });

  it('splits a long one into numbered parts within the per-line limit, every character kept, none split in half', () => {
    const text = `${'体罚😀学生'.repeat(2500)}`; // 15,000 UTF-16 units with surrogate pairs
    const lines = contextLines(label, text);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(MAX_CONTEXT_LINE);
    expect(lines[0]!.startsWith(`${label}（第 1/${lines.length} 段）: `)).toBe(true);
    expect(lines.map(body).join('')).toBe(text);
    expect(lines.join('')).not.toContain('未转');
  });

  it('past ten parts cuts the text and says so in its last line', () => {
    const text = '食'.repeat(60_000);
    const lines = contextLines(label, text);
    expect(lines).toHaveLength(10);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(MAX_CONTEXT_LINE);
    const kept = lines.map(body).join('').replace(/…（.*$/u, '').length;
    expect(lines.at(-1)).toMatch(new RegExp(`…（原文共 60000 字，过长，其余 ${60_000 - kept} 字未转）$`, 'u'));
  });
});
