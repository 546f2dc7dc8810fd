import type { types, webApi } from '@slack/bolt';
import type { StaffPost, StaffPoster } from '../../core/staff-post.js';

/**
 * Posts jobs' messages (digests, reminders, reports) to the staff channel:
 * blocks with `text` as the fallback, mentions prepended, and `file` uploaded
 * with files.uploadV2 into the same channel. 429s are waited out by the Web API client.
 */
export function createSlackPoster(client: webApi.WebClient, channel: string): StaffPoster {
  return {
    async post(post: StaffPost): Promise<void> {
      const mentions = (post.mentions ?? []).filter((id) => /^[UW][A-Z0-9]+$/.test(id)).map((id) => `<@${id}>`);
      const text = mentions.length > 0 ? `${mentions.join(' ')} ${post.text}` : post.text;
      const lead = mentions.length > 0 ? [{ type: 'section', text: { type: 'mrkdwn', text: mentions.join(' ') } }] : [];
      const blocks = post.blocks ? ([...lead, ...post.blocks] as (types.KnownBlock | types.Block)[]) : undefined;
      if (!post.file) {
        await client.chat.postMessage({ channel, text, ...(blocks ? { blocks } : {}), unfurl_links: false });
        return;
      }
      if (blocks) await client.chat.postMessage({ channel, text, blocks, unfurl_links: false });
      await client.files.uploadV2({
        channel_id: channel,
        file: post.file.data,
        filename: post.file.filename,
        title: post.file.title,
        ...(blocks ? {} : { initial_comment: text }),
      });
    },
  };
}
