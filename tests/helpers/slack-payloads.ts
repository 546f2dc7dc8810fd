/** Builders of Slack request payloads with overrides (shapes from docs.slack.dev interaction payloads). */

let counter = 0;
const next = () => (counter += 1);

export const STAFF_CHANNEL = 'CSTAFF01';

export function slashCommand(overrides: Partial<Record<string, string>> & { command: string }): Record<string, string> {
  return {
    token: 'unused',
    team_id: 'T1',
    team_domain: 'xhedu',
    channel_id: STAFF_CHANNEL,
    channel_name: 'staff',
    user_id: 'USTAFF1',
    user_name: 'staff',
    text: '',
    response_url: 'http://127.0.0.1:9/response',
    trigger_id: `trigger-${next()}`,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    ...overrides,
  } as Record<string, string>;
}

export function blockAction(o: {
  actionId: string;
  value: string;
  user?: string;
  actionTs?: string;
  messageTs?: string;
  responseUrl?: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: o.user ?? 'USTAFF1', username: 'staff', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'unused',
    team: { id: 'T1', domain: 'xhedu' },
    container: { type: 'message', message_ts: o.messageTs ?? '1764300000.000101', channel_id: STAFF_CHANNEL, is_ephemeral: false },
    trigger_id: `trigger-${next()}`,
    channel: { id: STAFF_CHANNEL, name: 'staff' },
    message: { ts: o.messageTs ?? '1764300000.000101', text: '' },
    response_url: o.responseUrl ?? 'http://127.0.0.1:9/response',
    actions: [
      {
        type: 'button',
        action_id: o.actionId,
        block_id: `case:${o.value}`,
        value: o.value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: o.actionTs ?? `1764300000.${String(next()).padStart(6, '0')}`,
      },
    ],
  };
}

type Value = { value?: string; selected_option?: { value: string }; selected_options?: { value: string }[]; selected_date?: string; selected_time?: string };

/** A view_submission; `values` maps block id → value (strings become plain_text_input values). */
export function viewSubmission(o: {
  callbackId: string;
  privateMetadata?: string;
  values: Record<string, string | Value>;
  user?: string;
  viewId?: string;
}): Record<string, unknown> {
  const values: Record<string, Record<string, Value & { type: string }>> = {};
  for (const [block, v] of Object.entries(o.values))
    values[block] = { value: typeof v === 'string' ? { type: 'plain_text_input', value: v } : { type: 'x', ...v } };
  return {
    type: 'view_submission',
    team: { id: 'T1', domain: 'xhedu' },
    user: { id: o.user ?? 'USTAFF1', username: 'staff', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'unused',
    trigger_id: `trigger-${next()}`,
    view: {
      id: o.viewId ?? `V${next()}`,
      team_id: 'T1',
      type: 'modal',
      callback_id: o.callbackId,
      private_metadata: o.privateMetadata ?? '',
      hash: 'h',
      state: { values },
      title: { type: 'plain_text', text: 'x' },
      blocks: [],
    },
  };
}

/** An Events API envelope with a message event. */
export function messageEvent(o: { text: string; user?: string; ts?: string; threadTs?: string; eventId?: string; botId?: string }): Record<string, unknown> {
  const ts = o.ts ?? `1764300001.${String(next()).padStart(6, '0')}`;
  return {
    token: 'unused',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: o.eventId ?? `Ev${next()}`,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'message',
      channel: STAFF_CHANNEL,
      channel_type: 'channel',
      user: o.user ?? 'USTAFF1',
      text: o.text,
      ts,
      ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
      ...(o.botId ? { bot_id: o.botId } : {}),
    },
  };
}

/** The /case new modal (`callbackId`: VIEWS.newCase) as staff submit a phone complaint received 2026-11-02 10:30. */
export const phoneComplaintSubmission = (callbackId: string): Record<string, unknown> =>
  viewSubmission({
    callbackId,
    values: {
      channel: { selected_option: { value: 'phone' } },
      type: { selected_option: { value: 'complaint' } },
      text: '家长来电反映校车超载',
      contact: '024-42841234',
      date: { selected_date: '2026-11-02' },
      time: { selected_time: '10:30' },
    },
  });
