import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { commandTable, kbCommands } from '../../../src/channels/slack/commands.js';
import { createKbAdminCommands } from '../../../src/channels/slack/kb-admin.js';
import type { SlackKnowledge } from '../../../src/channels/slack/types.js';

const manifest = parse(readFileSync('slack-app-manifest.yml', 'utf8')) as {
  features: { slash_commands: { command: string; url: string; description: string; usage_hint?: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
};

describe('slack-app-manifest.yml', () => {
  it('declares every slash command the desk registers, all on /slack/events', () => {
    const declared = manifest.features.slash_commands.map((c) => c.command);
    for (const name of Object.keys(commandTable(kbCommands))) expect(declared).toContain(name);
    for (const name of ['/report', '/register']) expect(declared).toContain(name); // createSlackApp({ annual })
    const kbHint = manifest.features.slash_commands.find((c) => c.command === '/kb')?.usage_hint ?? '';
    const admin = createKbAdminCommands({ knowledge: {} as SlackKnowledge, notify: async () => false });
    for (const sub of [...Object.keys(kbCommands), ...Object.keys(admin), 'gaps mark']) expect(kbHint).toContain(sub);
    for (const c of manifest.features.slash_commands) expect(c.url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://civicdesk.example.org/slack/events' });
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://civicdesk.example.org/slack/events');
  });

  it('asks for the scopes the desk uses, and the thread events', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(
      ['channels:history', 'channels:read', 'chat:write', 'commands', 'files:write', 'groups:history', 'groups:read'].sort(),
    );
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['message.channels', 'message.groups']);
  });
});
