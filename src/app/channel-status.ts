import type { ChannelStatus } from '../ops/http-routes.js';

/** What /healthz reports per channel; adapters flip it as they start and stop. */
export function createChannelStatus(enabled: { telegram: boolean; slack: boolean; web?: boolean }) {
  const status: Record<string, ChannelStatus> = {
    telegram: enabled.telegram ? 'down' : 'disabled',
    slack: enabled.slack ? 'down' : 'disabled',
    web: enabled.web ? 'down' : 'disabled',
  };
  return {
    set(channel: 'telegram' | 'slack' | 'web', value: ChannelStatus) {
      status[channel] = value;
    },
    snapshot: () => ({ ...status }),
  };
}
