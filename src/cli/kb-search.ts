import { createInterface } from 'node:readline';
import { registerCatalog, t } from '../core/i18n/index.js';
import type { Decision } from '../knowledge/decide.js';
import { buildIndex } from '../knowledge/index.js';
import { educationOffice } from '../knowledge/jurisdiction.js';
import { loadKnowledge } from '../knowledge/loader.js';
import { formatProblem } from '../knowledge/schema.js';
import { jurisdictionFrom, parseKbArgs } from './kb-args.js';
import type { KbSubcommand } from './kb.js';
import { intentDetector } from './kb-intents.js';

/**
 * `kb search [TEXT]`: TEXT, or one message per stdin line → one answer each, same order. With
 * `--json`: `{"q","intent","answered","decision","results":[{"id","section","score"}]}` (decision: answer,
 * suggest, elsewhere or none; only `answer` with intent `kb` is answered).
 * Needs no database and no tokens.
 */
registerCatalog('kbcli', {
  zh: {
    source: '来源：{title}{section}（更新于 {updated}）{url}',
    alternatives: '您是不是想问：',
    none: '抱歉，知识库里没有找到相关答复。您可以提交诉求，我们会安排工作人员答复。',
    notKb: '（意图：{intent}，不由知识库回答）',
    elsewhere: '本服务只解答{home}的政策；{place}的问题请联系{place}{office}。',
  },
  en: {
    source: 'Source: {title}{section} (updated {updated}){url}',
    alternatives: 'Did you mean:',
    none: 'Sorry, the knowledge base has no answer to this. You can file a request and staff will reply.',
    notKb: '(intent: {intent}, not answered from the knowledge base)',
    elsewhere: 'This service answers questions on the policies of {home} only; for {place}, please contact the {place} {office}.',
  },
});

export function renderDecision(decision: Decision, locale: 'zh' | 'en' = 'zh'): string {
  if (decision.kind === 'none') return t(locale, 'kbcli.none');
  if (decision.kind === 'elsewhere')
    return t(locale, 'kbcli.elsewhere', { home: decision.home, place: decision.place.full, office: educationOffice(decision.place, locale) });
  if (decision.kind === 'suggest') return [t(locale, 'kbcli.alternatives'), ...decision.alternatives.map((a) => `  · ${a.title}`)].join('\n');
  const { entry, section, sectionText } = decision.best;
  const lines = [`【${entry.title}${section ? ` · ${section}` : ''}】`, sectionText];
  lines.push(
    t(locale, 'kbcli.source', {
      title: entry.title,
      section: section ? ` · ${section}` : '',
      updated: entry.updated ?? '—',
      url: entry.source ? ` ${entry.source}` : '',
    }),
  );
  if (decision.alternatives.length > 0) {
    lines.push(t(locale, 'kbcli.alternatives'), ...decision.alternatives.map((a) => `  · ${a.title}`));
  }
  return lines.join('\n');
}

const search: KbSubcommand = {
  summary: 'answer TEXT, or messages from stdin, one per line',
  async run(args, io) {
    const opts = parseKbArgs(args, io.env);
    const kb = await loadKnowledge(opts.knowledge);
    for (const p of kb.problems) io.stderr.write(`${formatProblem(p)}\n`);
    const index = buildIndex(kb.entries, kb.synonyms, { jurisdiction: jurisdictionFrom(io.env) });
    const detect = await intentDetector(io, 'kb search');
    // `kb search TEXT` answers TEXT; with no text, every stdin line is one message.
    const lines: AsyncIterable<string> | string[] =
      opts.positional.length > 0 ? [opts.positional.join(' ')] : createInterface({ input: io.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      const q = line.trim();
      const intent = q ? detect(q) : 'kb';
      const decision = index.decide(q);
      const answered = intent === 'kb' && decision.kind === 'answer';
      if (opts.json) {
        const results = decision.results.map((r) => ({ id: r.id, section: r.section, score: r.score }));
        io.stdout.write(`${JSON.stringify({ q: line, intent, answered, decision: decision.kind, results })}\n`);
      } else {
        const body = intent === 'kb' ? renderDecision(decision) : t('zh', 'kbcli.notKb', { intent });
        io.stdout.write(`> ${line}\n${body}\n\n`);
      }
    }
    return 0;
  },
};

export default search;
