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

  describe('with a client that does not retry by itself (as the Slack desk wires it)', () => {
    const plain = () => new webApi.WebClient('xoxb-test', { slackApiUrl: stub.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });

    it('a digest Slack took whose answer was lost (503) is found by its metadata and not posted again', async () => {
      stub.loseAnswers('chat.postMessage', 1, 503);
      await createSlackPoster(plain(), 'CSTAFF01').post({ text: '每日汇总：新收 3 件' });
      expect(stub.posted.filter((m) => m.text === '每日汇总：新收 3 件')).toHaveLength(1);
      expect(stub.callsOf('conversations.history')).toHaveLength(1);
    });

    it('a post Slack did not take (a 502 before it reached Slack) is made again, once', async () => {
      stub.override('chat.postMessage', () => ({ status: 502, json: { ok: false, error: 'bad_gateway' } }));
      await createSlackPoster(plain(), 'CSTAFF01').post({ text: '提醒：1 件案件明天到期' });
      expect(stub.posted.filter((m) => m.text === '提醒：1 件案件明天到期')).toHaveLength(1);
      expect(stub.callsOf('chat.postMessage')).toHaveLength(2);
    });

    it('waits out a 429 for its Retry-After, then posts once; a refusal (ok: false) is not retried', async () => {
      stub.override('chat.postMessage', () => ({ status: 429, headers: { 'retry-after': '7' }, json: { ok: false, error: 'ratelimited' } }));
      const waited: number[] = [];
      const poster = createSlackPoster(plain(), 'CSTAFF01', { wait: async (ms) => void waited.push(ms) });
      await poster.post({ text: '月报已生成' });
      expect(waited).toEqual([7_000]);
      expect(stub.posted.filter((m) => m.text === '月报已生成')).toHaveLength(1);
      stub.override('chat.postMessage', () => ({ json: { ok: false, error: 'not_in_channel' } }));
      await expect(poster.post({ text: '不会发出' })).rejects.toThrow(/not_in_channel/);
      expect(stub.callsOf('chat.postMessage').filter((c) => c.body.text === '不会发出')).toHaveLength(1);
    });

    it("the monthly report's file upload waits out a 429 on either call of files.uploadV2 and shares the file once, its blocks posted once", async () => {
      const ratelimited = (seconds: string) => () => ({ status: 429, headers: { 'retry-after': seconds }, json: { ok: false, error: 'ratelimited' } });
      stub.override('files.getUploadURLExternal', ratelimited('3'));
      stub.override('files.completeUploadExternal', ratelimited('5'));
      const waited: number[] = [];
      const poster = createSlackPoster(plain(), 'CSTAFF01', { wait: async (ms) => void waited.push(ms) });
      const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '11月：新收 29 件' } }];
      const data = Buffer.from('PNG', 'utf8');
      await poster.post({ text: '2026年11月月报', blocks, file: { filename: 'monthly-2026-11.png', title: '11月图表', data } });
      expect(waited).toEqual([3_000, 5_000]);
      expect(stub.posted.filter((m) => m.text === '2026年11月月报')).toHaveLength(1);
      // Taken once: the 429'd completion was not, the one after it was.
      const completions = stub.callsOf('files.completeUploadExternal');
      expect(completions).toHaveLength(2);
      expect(JSON.stringify(completions[1]?.body.files)).toContain('11月图表');
    });

    it('a file upload still rate-limited after 3 attempts fails the job with the rate-limit error', async () => {
      stub.override('files.getUploadURLExternal', () => ({ status: 429, headers: { 'retry-after': '1' }, json: { ok: false, error: 'ratelimited' } }), 5);
      const poster = createSlackPoster(plain(), 'CSTAFF01', { wait: async () => undefined });
      await expect(poster.post({ text: '月报', file: { filename: 'm.png', title: 'm', data: Buffer.from('x') } })).rejects.toThrow(/rate-limit/);
      expect(stub.callsOf('files.getUploadURLExternal')).toHaveLength(3);
      expect(stub.callsOf('files.completeUploadExternal')).toHaveLength(0);
    });
  });
});
