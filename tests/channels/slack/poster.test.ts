import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createSlackPoster } from '../../../src/channels/slack/slack-poster.js';
import { startSlackStub, type SlackStub } from '../../helpers/slack-stub.js';

describe('createSlackPoster (StaffPoster for jobs)', () => {
  let stub: SlackStub;
  let client: webApi.WebClient;
  beforeEach(async () => {
    stub = await startSlackStub();
    client = new webApi.WebClient('xoxb-test', { slackApiUrl: stub.apiUrl });
  });
  afterEach(async () => {
    await stub.close();
  });

  it('posts text and blocks with mentions in front, without changing the caller’s blocks', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '今日待办 3 件' } }];
    await createSlackPoster(client, 'CSTAFF01').post({ text: '每日汇总', blocks, mentions: ['U1', 'bad id'] });
    const call = await stub.waitFor('chat.postMessage');
    expect(call.body).toMatchObject({ channel: 'CSTAFF01', text: '<@U1> 每日汇总' });
    expect(call.body.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '<@U1>' } }, ...blocks]);
    expect(blocks).toHaveLength(1);
  });

  it('uploads a file with files.uploadV2 into the staff channel', async () => {
    const data = Buffer.from('月报内容', 'utf8');
    await createSlackPoster(client, 'CSTAFF01').post({ text: '2026年11月月报', file: { filename: 'monthly-2026-11.docx', title: '11月月报', data } });
    const url = await stub.waitFor('files.getUploadURLExternal');
    expect(url.body).toMatchObject({ filename: 'monthly-2026-11.docx', length: String(data.length) });
    await stub.waitFor('file.upload');
    const done = await stub.waitFor('files.completeUploadExternal');
    expect(done.body).toMatchObject({ channel_id: 'CSTAFF01', initial_comment: '2026年11月月报' });
    expect(JSON.stringify(done.body.files)).toContain('11月月报');
  });

  it('waits out a 429 (Retry-After) and posts once', async () => {
    stub.override('chat.postMessage', () => ({ status: 429, headers: { 'retry-after': '1' }, json: { ok: false, error: 'ratelimited' } }));
    // The client announces the wait it is about to make (seconds from Retry-After): an event, not a stopwatch.
    const waits: number[] = [];
    client.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => waits.push(seconds));
    await createSlackPoster(client, 'CSTAFF01').post({ text: '提醒：2 件案件明天到期' });
    expect(waits).toEqual([1]);
    const calls = stub.callsOf('chat.postMessage');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.body.text).toBe('提醒：2 件案件明天到期');
  });
});
