import type { StaffPost, StaffPoster } from '../src/core/staff-post.js';

/**
 * The staff poster when Slack is not configured (and for `jobs run --dry-run`):
 * prints each post's text form, and names an attached file instead of its bytes.
 */
export function createConsolePoster(out: NodeJS.WritableStream): StaffPoster {
  return {
    async post(post: StaffPost) {
      const file = post.file ? `\n[file: ${post.file.filename} — ${post.file.title}, ${post.file.data.length} bytes]` : '';
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
