import { randomUUID } from 'node:crypto';
import type { types, webApi } from '@slack/bolt';
import type { StaffPost, StaffPoster } from '../../core/staff-post.js';
import { LOOKUP_PAGE_SIZE, carriesMetadata, findInPages, retryAfterOf } from './web-client.js';

/** Metadata on every job post (digest, reminder, report): a retry finds a post whose answer was lost. */
const POST_EVENT = 'civicdesk_post';
const ATTEMPTS = 3;

/** Slack may have taken the call: its answer was a 5xx (a proxy's 502/504) or never came (network, timeout). */
function maybeTaken(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (code === 'slack_webapi_request_error') return true;
  return code === 'slack_webapi_http_error' && Number((error as { statusCode?: unknown }).statusCode) >= 500;
}

export interface SlackPosterOptions {
  /** Waits out a 429's Retry-After (ms); a test passes one that records instead of waiting. */
  wait?: (ms: number) => Promise<void>;
}

/**
 * Posts jobs' messages (digests, reminders, reports) to the staff channel:
 * blocks with `text` as the fallback, mentions prepended, and `file` uploaded
 * with files.uploadV2 into the same channel.
 *
 * Each post is made at most once. Give it a client that does not retry by itself (web-client.ts `atMostOnceClient`, as the
 * Slack desk and the CLI's jobs do): a client retrying a call Slack took but whose answer was
 * lost posts the digest twice. Here a 429 is waited out and retried (for a file upload too); an answer lost (5xx, timeout) is followed by a
 * look for the post's metadata in the channel (conversations.history), and the post is made again only when it is
 * not there; a refusal (`ok: false`) is thrown at once. Up to 3 attempts.
 */
export function createSlackPoster(client: webApi.WebClient, channel: string, options: SlackPosterOptions = {}): StaffPoster {
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function alreadyPosted(postId: string, since: number): Promise<boolean> {
    try {
      const { found } = await findInPages(
        (cursor) => client.conversations.history({ channel, oldest: String(since), include_all_metadata: true, limit: LOOKUP_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
        (m) => carriesMetadata(m, POST_EVENT, { post_id: postId }),
      );
      return found !== null;
    } catch {
      return false; // the channel cannot be read: post again (a duplicate beats a lost digest)
    }
  }

  async function postOnce(args: { text: string; blocks?: (types.KnownBlock | types.Block)[] }): Promise<void> {
    const postId = randomUUID();
    const since = Math.floor(Date.now() / 1000) - 60; // Slack's own timestamps are wall-clock seconds
    for (let attempt = 1; ; attempt++) {
      try {
        await client.chat.postMessage({
          channel,
          ...args,
          unfurl_links: false,
          metadata: { event_type: POST_EVENT, event_payload: { post_id: postId } },
        });
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        const retryAfter = retryAfterOf(error);
        if (retryAfter !== null) await wait(retryAfter * 1000);
        else if (!maybeTaken(error)) throw error;
        else if (await alreadyPosted(postId, since)) return;
      }
    }
  }

  /**
   * files.uploadV2 is three calls (getUploadURLExternal, the upload, completeUploadExternal); a 429 on any of them means
   * that call was not taken, and a file is shared only by the last one, so the whole upload is made again after the
   * wait. (Failing here instead failed the job, and its re-run posted the report's blocks a second time.) Any other
   * error is thrown: a lost answer of completeUploadExternal may have shared the file.
   */
  async function uploadOnce(upload: () => Promise<unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await upload();
        return;
      } catch (error) {
        const retryAfter = retryAfterOf(error);
        if (attempt >= ATTEMPTS || retryAfter === null) throw error;
        await wait(retryAfter * 1000);
      }
    }
  }

  return {
    async post(post: StaffPost): Promise<void> {
      const mentions = (post.mentions ?? []).filter((id) => /^[UW][A-Z0-9]+$/.test(id)).map((id) => `<@${id}>`);
      const text = mentions.length > 0 ? `${mentions.join(' ')} ${post.text}` : post.text;
      const lead = mentions.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: mentions.join(' ') } }] : [];
      const blocks = post.blocks ? ([...lead, ...post.blocks] as (types.KnownBlock | types.Block)[]) : undefined;
      if (!post.file) return postOnce({ text, ...(blocks ? { blocks } : {}) });
      if (blocks) await postOnce({ text, blocks });
      const file = post.file;
      await uploadOnce(() =>
        client.files.uploadV2({
          channel_id: channel,
          file: file.data,
          filename: file.filename,
          title: file.title,
          ...(blocks ? {} : { initial_comment: text }),
        }),
      );
    },
  };
}
