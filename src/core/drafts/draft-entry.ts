import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { maskPersonalData } from '../privacy/mask.js';

/**
 * "Answers learned from cases": when staff close a case that came from an
 * unanswered question, their reply becomes a draft knowledge entry in
 * `<knowledge dir>/_drafts/`. Files under `_` are never indexed, so nothing is
 * live until an admin reviews the draft and moves it into the knowledge base.
 */
export interface DraftInput {
  caseCode: string;
  question: string;
  reply: string;
  /** YYYY-MM-DD in TIMEZONE. */
  today: string;
  /** Days until the entry must be reviewed again. */
  reviewDays?: number;
}

export interface Draft {
  id: string;
  fileName: string;
  markdown: string;
}

const TITLE_MAX = 30;

/** The question's first sentence, cut at a natural break, as the title. */
export function draftTitle(question: string): string {
  const clean = question.replace(/\s+/g, ' ').trim();
  const first = clean.split(/[。！？!?\n]/)[0]?.trim() || clean;
  return first.length <= TITLE_MAX ? first : `${first.slice(0, TITLE_MAX - 1)}…`;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function draftEntry(raw: DraftInput): Draft {
  // A draft is meant to be published: no parent's phone or ID number may ride along.
  const input = { ...raw, question: maskPersonalData(raw.question), reply: maskPersonalData(raw.reply) };
  const id = `draft-${input.caseCode.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const frontMatter = {
    id,
    title: draftTitle(input.question),
    category: 'faq',
    questions: [input.question.replace(/\s+/g, ' ').trim()],
    tags: ['draft', `case:${input.caseCode}`],
    updated: input.today,
    review_by: addDays(input.today, input.reviewDays ?? 90),
  };
  const markdown =
    `---\n${stringify(frontMatter).trimEnd()}\n---\n` +
    `<!-- Drafted from case ${input.caseCode}. Review the wording, then move this file out of _drafts/ to publish it. -->\n\n` +
    `## 答复\n\n${input.reply.trim()}\n`;
  return { id, fileName: `${id}.md`, markdown };
}

/** Writes the draft into `<knowledgeDir>/_drafts/` (never overwriting); returns its path. */
export function writeDraft(knowledgeDir: string, draft: Draft): string {
  const dir = join(knowledgeDir, '_drafts');
  mkdirSync(dir, { recursive: true });
  let path = join(dir, draft.fileName);
  for (let n = 2; existsSync(path); n++) path = join(dir, draft.fileName.replace(/\.md$/, `-${n}.md`));
  writeFileSync(path, draft.markdown, 'utf8');
  return path;
}
