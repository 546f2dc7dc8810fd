import type { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import { StaffCheckUnavailable } from './api-failure.js';

export interface StaffAuthz {
  isStaff(userId: string): Promise<boolean>;
  isAdmin(userId: string): boolean;
}

/**
 * Staff = SLACK_STAFF_USER_IDS, admins, or members of the staff channel
 * (conversations.members, paged, cached for `ttlMs`). Admin = SLACK_ADMIN_USER_IDS.
 * If Slack cannot be asked (and no earlier answer is cached), a user who is not a configured id is refused with
 * StaffCheckUnavailable, which says so (api-failure.ts), rather than told they are no staff.
 */
export function createStaffAuthz(options: {
  client: webApi.WebClient;
  staffChannel: string;
  staffUserIds: readonly string[];
  adminUserIds: readonly string[];
  logger: Logger;
  now?: () => number;
  ttlMs?: number;
}): StaffAuthz {
  const now = options.now ?? Date.now;
  const ttl = options.ttlMs ?? 5 * 60_000;
  let cache: { members: Set<string>; at: number } | null = null;
  let loading: Promise<Set<string>> | null = null;

  async function loadMembers(): Promise<Set<string>> {
    const members = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await options.client.conversations.members({ channel: options.staffChannel, limit: 200, cursor });
      for (const id of page.members ?? []) members.add(id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return members;
  }

  async function channelMembers(): Promise<Set<string>> {
    if (cache && now() - cache.at < ttl) return cache.members;
    loading ??= loadMembers()
      .then((members) => {
        cache = { members, at: now() };
        return members;
      })
      .catch((error: unknown) => {
        options.logger.warn({ err: error }, 'slack: cannot list staff channel members; only SLACK_STAFF_USER_IDS count');
        if (cache) return cache.members;
        throw new StaffCheckUnavailable(error);
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  return {
    isAdmin: (userId) => options.adminUserIds.includes(userId),
    async isStaff(userId) {
      if (options.staffUserIds.includes(userId) || options.adminUserIds.includes(userId)) return true;
      return (await channelMembers()).has(userId);
    },
  };
}
