import { z } from 'zod';

/**
 * The knowledge-file format every bureau relies on: one UTF-8 Markdown file per
 * entry, YAML front matter validated by `frontMatterSchema`, `##` headings
 * splitting the body into sections that can be answered on their own.
 *
 * @example
 *   ---
 *   id: enrollment-age
 *   title: 小学入学年龄
 *   category: enrollment
 *   questions: [孩子几岁能上一年级]
 *   ---
 *   凡年满6周岁（8月31日前出生）的适龄儿童……
 */
export const CATEGORIES = ['enrollment', 'service-guide', 'policy', 'contact', 'faq'] as const;
export type Category = (typeof CATEGORIES)[number];

export const KNOWN_KEYS = ['id', 'title', 'category', 'questions', 'tags', 'updated', 'review_by', 'source', 'lang'] as const;

const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
    message: 'must be a date YYYY-MM-DD',
  });

/** A list of short texts. An item left empty ("  - " alone, which YAML reads as null) is no item: dropped like a blank one. */
const stringList = z
  .array(z.union([z.string(), z.number(), z.null()], { message: 'nested' }).transform((v) => (v === null ? '' : String(v).trim())))
  .transform((l) => l.filter(Boolean));

export const frontMatterSchema = z.object({
  id: z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.string().regex(/^[a-z0-9-]+$/, 'must use only a-z, 0-9 and "-"')),
  title: z.string({ message: 'is required' }).trim().min(1, 'is required'),
  category: z.enum(CATEGORIES, { message: `must be one of ${CATEGORIES.join(', ')}` }),
  questions: stringList.default([]),
  tags: stringList.default([]),
  updated: isoDate.nullable().optional(),
  review_by: isoDate.nullable().optional(),
  // Only http(s): the web chat, Telegram and Slack put it in a link a parent clicks (never javascript:, data:, file:).
  source: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://example.gov.cn/page' }).nullable().optional(),
  lang: z.enum(['zh', 'en'], { message: 'must be zh or en' }).default('zh'),
});

export interface Section {
  /** The `##` heading, or null for the text before the first heading. */
  heading: string | null;
  text: string;
}

/** The loader returns entries as PackedEntry objects (packed-entry.ts): copy one with `entryData`, not a spread. */
export interface KnowledgeEntry {
  id: string;
  title: string;
  category: Category;
  questions: string[];
  tags: string[];
  updated: string | null;
  reviewBy: string | null;
  source: string | null;
  lang: 'zh' | 'en';
  /** Path as given to the loader (dir joined with the relative path). */
  path: string;
  body: string;
  sections: Section[];
}

/** One problem in one file, printed as `path:line: message`. */
export interface Problem {
  path: string;
  line: number;
  message: string;
}

export const formatProblem = (p: Problem): string => `${p.path}:${p.line}: ${p.message}`;

/**
 * Synonym groups: the first word of each group is the canonical form, the
 * others are mapped to it. `typos` are replaced in the raw text before
 * segmentation (户口薄 → 户口簿).
 */
export interface SynonymGroups {
  groups: string[][];
  typos: [string, string][];
}

export const synonymsFileSchema = z
  .object({
    synonyms: z.array(z.array(z.string().trim().min(1)).min(2, 'a group needs at least 2 words')).default([]),
    typos: z.record(z.string().min(1), z.string().min(1)).default({}),
  })
  .strict();
