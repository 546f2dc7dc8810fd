import { existsSync, readFileSync } from 'node:fs';
import { detectIntent, loadIntents, type IntentSet } from '../src/core/intents/index.js';
import { projectPath } from '../src/project-root.js';
import type { BenchModule } from './run.js';

/**
 * What the learned intent classifier adds: intent accuracy of the rules alone and of the rules
 * with models/intent-v1.json, same run, on the team's intent sets and on the outside-written
 * 溪湖区 set (OUTSIDE_EVAL_DIR, default ../shared/eval or ../../shared/eval). Near pairs count as
 * right the way the outside scorer counts them (thanks~greeting, human~petition). "kb → case" counts
 * knowledge questions sent to staff; "case → kb" petitions answered from the knowledge base.
 */
interface Labelled {
  q: string;
  intent: string;
  kind?: string;
}

const NEAR: Record<string, string[]> = { thanks: ['thanks', 'greeting'], human: ['human', 'petition'], petition: ['petition', 'human'] };
const CASE = new Set(['petition', 'human']);

const read = (path: string): Labelled[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labelled);

function outsideDir(): string | null {
  const candidates = [process.env.OUTSIDE_EVAL_DIR, projectPath('../shared/eval'), projectPath('../../shared/eval')].filter((d): d is string => !!d);
  return candidates.find((d) => existsSync(`${d}/outside-xihu/questions.jsonl`)) ?? null;
}

export interface IntentScore {
  n: number;
  right: number;
  kbToCase: number;
  /** Knowledge questions given any other intent (a case, a status lookup, a greeting): each loses its answer. */
  kbToOther: number;
  caseToKb: number;
  byIntent: Record<string, { n: number; right: number }>;
}

export function scoreIntents(set: IntentSet, rows: readonly Labelled[]): IntentScore {
  const s: IntentScore = { n: 0, right: 0, kbToCase: 0, kbToOther: 0, caseToKb: 0, byIntent: {} };
  for (const row of rows) {
    const got = detectIntent(set, row.q).intent;
    const ok = (NEAR[row.intent] ?? [row.intent]).includes(got);
    s.n += 1;
    if (ok) s.right += 1;
    const per = (s.byIntent[row.intent] ??= { n: 0, right: 0 });
    per.n += 1;
    if (ok) per.right += 1;
    if (row.intent === 'kb' && CASE.has(got)) s.kbToCase += 1;
    if (row.intent === 'kb' && got !== 'kb') s.kbToOther += 1;
    if (CASE.has(row.intent) && got === 'kb') s.caseToKb += 1;
  }
  return s;
}

const pct = (a: number, b: number) => (b === 0 ? '—' : (a / b).toFixed(3));

const bench: BenchModule = {
  summary: 'intent accuracy: rules alone vs rules + the learned classifier (team sets and the outside 溪湖区 set)',
  async run(print) {
    const rules = await loadIntents(undefined, { model: null });
    const learned = await loadIntents();
    const sets: [string, Labelled[]][] = [
      ['bench/intents.jsonl', read(projectPath('bench/intents.jsonl'))],
      ['bench/intents-fresh.jsonl', read(projectPath('bench/intents-fresh.jsonl'))],
      // Written before the issue-14 intent changes, never trained on: real-style 问政 posts and long kb questions.
      ['bench/petitions/heldout.jsonl', read(projectPath('bench/petitions/heldout.jsonl'))],
      // Written before the third intent pass, never trained on: knowledge questions that look like cases or greetings
      // (fixing a record, applying, complaint procedures, is-it-allowed, opening hours, bare procedure keywords) over
      // the 武侯区 and 金水区 entries, and petitions, requests for a person and status questions in new wording.
      ['bench/petitions/heldout-2.jsonl', read(projectPath('bench/petitions/heldout-2.jsonl'))],
    ];
    const outside = outsideDir();
    if (outside) {
      const all = read(`${outside}/outside-xihu/questions.jsonl`).map((r) => ({ ...r, intent: r.intent ?? 'kb' }));
      sets.push(['outside 溪湖区: intent kinds', all.filter((r) => r.kind && ['intent_petition', 'intent_status', 'greeting'].includes(r.kind))]);
      sets.push(['outside 溪湖区: all 342 messages', all]);
    } else print('(outside set not found: set OUTSIDE_EVAL_DIR to show it)');
    print('| set | n | rules | rules + classifier | petition/human recall (rules → +clf) | status | greeting/thanks | kb recall | kb → case | kb → not kb | case → kb |');
    print('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const [name, rows] of sets) {
      const a = scoreIntents(rules, rows);
      const b = scoreIntents(learned, rows);
      const group = (s: IntentScore, names: string[]) => {
        const parts = names.map((n) => s.byIntent[n] ?? { n: 0, right: 0 });
        return pct(parts.reduce((x, p) => x + p.right, 0), parts.reduce((x, p) => x + p.n, 0));
      };
      print(
        `| ${name} | ${a.n} | ${pct(a.right, a.n)} | ${pct(b.right, b.n)} | ${group(a, ['petition', 'human'])} → ${group(b, ['petition', 'human'])} | ` +
          `${group(a, ['status'])} → ${group(b, ['status'])} | ${group(a, ['greeting', 'thanks'])} → ${group(b, ['greeting', 'thanks'])} | ${group(a, ['kb'])} → ${group(b, ['kb'])} | ${a.kbToCase} → ${b.kbToCase} | ${a.kbToOther} → ${b.kbToOther} | ${a.caseToKb} → ${b.caseToKb} |`,
      );
    }
  },
};

export default bench;
