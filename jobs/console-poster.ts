import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { StaffPost, StaffPoster } from '../src/core/staff-post.js';

/**
 * The staff poster when Slack is not configured (and for `jobs run --dry-run`):
 * prints each post's text form. An attached file (the monthly chart) is written
 * into `fileDir` when one is given, and its path printed; otherwise only named.
 */
export function createConsolePoster(out: NodeJS.WritableStream, fileDir?: string): StaffPoster {
  return {
    async post(post: StaffPost) {
      let file = '';
      if (post.file && fileDir !== undefined) {
        await mkdir(fileDir, { recursive: true });
        const path = resolve(join(fileDir, post.file.filename));
        await writeFile(path, post.file.data);
        file = `\n[已写入文件 ${path} — ${post.file.title}, ${post.file.data.length} bytes]`;
      } else if (post.file) file = `\n[file: ${post.file.filename} — ${post.file.title}, ${post.file.data.length} bytes]`;
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
