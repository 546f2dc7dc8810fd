import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_ACTIONS, VIEWS } from '../../src/channels/slack/types.js';
import { freePort } from '../helpers/free-port.js';
import { blockAction, slashCommand, STAFF_CHANNEL, viewSubmission } from '../helpers/slack-payloads.js';
import { postCommand, postInteraction, TEST_SIGNING_SECRET } from '../helpers/slack-signer.js';
import { startSlackStub, type SlackStub } from '../helpers/slack-stub.js';
import { parseStartScript, readStartScript } from '../helpers/start-command.js';

/**
 * STAFF_LOCALE=en through the composition root: `npm start`'s process with Slack's Web API on the stub and the web
 * chat on. A parent writing Chinese on the web chat is answered in Chinese; the staff channel's case message, the
 * staff's /cases and the claim are in English; the staff reply reaches the parent inside Chinese words.
 */
const HAN = /[\u4e00-\u9fff]/;
let slack: SlackStub;
let child: ChildProcess;
let port: number;
let stderr = '';
const dir = mkdtempSync(join(tmpdir(), 'civicdesk-staff-locale-'));

beforeAll(async () => {
  slack = await startSlackStub({ members: ['USTAFF1'] });
  port = await freePort();
  const start = parseStartScript(readStartScript().script);
  execSync('npm run --silent build', { stdio: 'pipe' });
  child = spawn(process.execPath, start.nodeArgs!, {
    env: {
      ...process.env,
      ...start.env,
      DATABASE_PATH: join(dir, 'main.db'),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      STAFF_LOCALE: 'en',
      SLACK_BOT_TOKEN: 'xoxb-staff-locale-test',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_STAFF_CHANNEL: STAFF_CHANNEL,
      SLACK_STAFF_USER_IDS: 'USTAFF1',
      SLACK_API_URL: slack.apiUrl,
      JOBS_ENABLED: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 300; i++) {
    const body = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json() as Promise<{ channels?: Record<string, string> }>, () => null);
    if (body?.channels?.slack === 'connected' && body.channels.web === 'connected') return;
    if (child.exitCode !== null) throw new Error(`main exited early: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // bounded poll of a starting process, not a timing assertion
  }
  throw new Error(`main did not become healthy: ${stderr}`);
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await slack?.close();
});

type Msg = { text: string; buttons?: { label: string; ref: string }[][] };

describe('npm start with STAFF_LOCALE=en', () => {
  it('answers the parent in Chinese and shows staff the case, /cases and the claim in English', async () => {
    const origin = `http://127.0.0.1:${port}`;
    const page = await fetch(`${origin}/chat/`);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const say = async (body: object) => {
      const res = await fetch(`${origin}/chat/api/messages`, { method: 'POST', headers: { origin, 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
      return ((await res.json()) as { messages: Msg[] }).messages;
    };
    const ref = (messages: Msg[], label: string) => messages.flatMap((m) => (m.buttons ?? []).flat()).find((b) => b.label === label)!.ref;
    const asked = await say({ text: '我要投诉旭日小学强制订购教辅材料' });
    const filed = (await say({ button: ref(await say({ button: ref(asked, '不留电话') }), '确认提交') })).map((m) => m.text).join('\n');
    const code = /XH-\d{4}-\d{6}/.exec(filed)![0];
    expect(filed).toContain('已登记');

    // The staff channel: the case message in English (type, channel, buttons), the parent's words as written.
    const post = await slack.waitFor('chat.postMessage', (c) => c.body.channel === STAFF_CHANNEL && JSON.stringify(c.body).includes(code), { timeoutMs: 15_000 });
    const card = JSON.stringify(post.body.blocks);
    expect(card).toContain('Complaint');
    expect(card).toContain('Web chat');
    expect(card).toContain('"Claim"');
    expect(card).toContain('旭日小学强制订购教辅材料');
    expect(card.replace('我要投诉旭日小学强制订购教辅材料', '')).not.toMatch(HAN);

    // /cases answers in English.
    const events = `${origin}/slack/events`;
    expect((await postCommand(events, slashCommand({ command: '/cases', text: '', response_url: slack.responseUrl('list') }))).status).toBe(200);
    const list = (await slack.waitFor('response_url', (c) => c.path === '/response/list', { timeoutMs: 15_000 })).body as { text: string };
    expect(list.text).toMatch(/open cases/i);
    expect(list.text).not.toMatch(HAN);

    // Claim and reply from Slack: the card moves to an English state; the parent reads the reply in Chinese words.
    await postInteraction(events, blockAction({ actionId: CASE_ACTIONS.claim, value: code }));
    const updated = await slack.waitFor('chat.update', (c) => JSON.stringify(c.body).includes(code), { timeoutMs: 15_000 });
    expect(JSON.stringify(updated.body.blocks)).toContain('In progress');
    await postInteraction(events, blockAction({ actionId: CASE_ACTIONS.reply, value: code }));
    const modal = await slack.waitFor('views.open', () => true, { timeoutMs: 15_000 });
    expect(JSON.stringify(modal.body.view)).toContain('Reply to citizen');
    expect(JSON.stringify(modal.body.view).replace('我要投诉旭日小学强制订购教辅材料', '')).not.toMatch(HAN);
    const answer = '经核实，学校已停止强制订购。';
    await postInteraction(events, viewSubmission({ callbackId: VIEWS.reply, privateMetadata: code, values: { reply: answer } }));
    let delivered: string | undefined;
    for (let i = 0; i < 150 && !delivered; i++) {
      const res = await fetch(`${origin}/chat/api/messages`, { headers: { origin, cookie } });
      delivered = ((await res.json()) as { messages: Msg[] }).messages.map((m) => m.text).find((text) => text.includes(answer));
      if (!delivered) await new Promise((resolve) => setTimeout(resolve, 100)); // bounded poll of the outbox's delivery
    }
    expect(delivered).toBeDefined();
    expect(delivered!.replace(answer, '')).toMatch(HAN);
    expect(delivered).not.toMatch(/In progress|replied|Reply/);
  }, 60_000);
});
