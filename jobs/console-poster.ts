import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { t } from '../src/core/i18n/index.js';
import '../src/core/i18n/jobs.js';
import type { StaffPost, StaffPoster } from '../src/core/staff-post.js';
import type { Locale } from '../src/core/types.js';

/**
 * The staff poster when Slack is not configured (and for `jobs run --dry-run`):
 * prints each post's text form. An attached file (the monthly chart) is written
 * into `fileDir` when one is given, and its path printed; otherwise only named (in `locale`, STAFF_LOCALE).
 */
export function createConsolePoster(out: NodeJS.WritableStream, fileDir?: string, locale: Locale = 'zh'): StaffPoster {
  return {
    async post(post: StaffPost) {
      let file = '';
      if (post.file && fileDir !== undefined) {
        await mkdir(fileDir, { recursive: true });
        const path = resolve(join(fileDir, post.file.filename));
        await writeFile(path, post.file.data);
        file = `\n${t(locale, 'jobs.poster.fileWritten', { path, title: post.file.title, bytes: post.file.data.length })}`;
      } else if (post.file) file = `\n${t(locale, 'jobs.poster.file', { name: post.file.filename, title: post.file.title, bytes: post.file.data.length })}`;
      out.write(`${post.text}${file}\n`);
    },
  };
}

/** Keeps every post: for tests. */
export function createRecordingPoster(): StaffPoster & { posts: StaffPost[] } {
  const posts: StaffPost[] = [];
  return {
    posts,
    async post(post) {
      posts.push(post);
    },
  };
}
