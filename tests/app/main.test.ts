import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../helpers/telegram-emulator.js';
import { startSlackStub, type SlackStub } from '../helpers/slack-stub.js';
import { STAFF_CHANNEL } from '../helpers/slack-payloads.js';
import { parseStartScript, readStartScript } from '../helpers/start-command.js';
import { TEST_SIGNING_SECRET } from '../helpers/slack-signer.js';
import { freePort } from '../helpers/free-port.js';

/**
 * The composition root with both real channels on: `npm start`'s process (built
 * by `npm run build`, started with the start script's own node arguments) with
 * Telegram pointed at the emulator and Slack's Web API at the stub. A parent's
 * complaint on Telegram becomes a case message in the staff channel; /healthz
 * reports both channels; SIGTERM shuts down cleanly.
 */
const TOKEN = '123456:main-test-token';
let emulator: Emulator;
let slack: SlackStub;
let child: ChildProcess;
let port: number;
let stderr = '';
const dir = mkdtempSync(join(tmpdir(), 'civicdesk-main-'));
const dbPath = join(dir, 'main.db');


async function healthz(): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return null;
  }
}

beforeAll(async () => {
  emulator = await startEmulator();
  slack = await startSlackStub({ members: ['USTAFF1'] });
  port = await freePort();
  const start = parseStartScript(readStartScript().script);
  expect(start.nodeArgs).not.toBeNull();
  execSync('npm run --silent build', { stdio: 'pipe' });
  child = spawn(process.execPath, start.nodeArgs!, {
    env: {
      ...process.env,
      ...start.env,
      DATABASE_PATH: dbPath,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      SLACK_BOT_TOKEN: 'xoxb-main-test',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_STAFF_CHANNEL: STAFF_CHANNEL,
      SLACK_API_URL: slack.apiUrl,
      JOBS_ENABLED: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  // Wait (bounded) until the app answers /healthz with both channels connected.
  for (let i = 0; i < 300; i++) {
    const body = await healthz();
    const channels = body?.channels as Record<string, string> | undefined;
    if (channels?.telegram === 'connected' && channels.slack === 'connected') return;
    if (child.exitCode !== null) throw new Error(`main exited early: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`main did not become healthy: ${stderr}`);
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await emulator?.close();
  await slack?.close();
});

describe('npm start with Telegram and Slack configured', () => {
  it('says which channels are on and serves /healthz and /metrics on PORT', async () => {
    expect(stderr).toContain('Telegram: on');
    expect(stderr).toContain('Slack: on');
    const body = await healthz();
    expect(body).toMatchObject({ database: 'ok', channels: { telegram: 'connected', slack: 'connected' } });
    // The real clock runs here: from 1 December a missing next-year holiday schedule degrades the
    // status (HTTP 200); both outcomes are checked over injected dates in tests/ops/http-routes.test.ts.
    expect(body?.status).toBe(body?.calendar === 'ok' ? 'ok' : 'degraded');
    expect(['ok', 'next year not published']).toContain(body?.calendar);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toContain('civicdesk_outbox_depth');
    expect(metrics).toContain('civicdesk_web_chat_streams 0');
  });

  it('serves the web chat beside them on the same port; a web complaint reaches Slack as channel 网页', async () => {
    expect(stderr).toContain(`Web chat: http://localhost:${port}/chat/`);
    expect(((await healthz())?.channels as Record<string, string>).web).toBe('connected');
    const origin = `http://127.0.0.1:${port}`;
    const page = await fetch(`${origin}/chat/`);
    expect(page.status).toBe(200);
    const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
    const post = async (body: object) => {
      const res = await fetch(`${origin}/chat/api/messages`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', cookie },
        body: JSON.stringify(body),
      });
      return ((await res.json()) as { messages: { text: string; buttons?: { label: string; ref: string }[][] }[] }).messages;
    };
    const ref = (messages: Awaited<ReturnType<typeof post>>, label: string) =>
      messages.flatMap((m) => (m.buttons ?? []).flat()).find((b) => b.label === label)!.ref;
    const asked = await post({ text: '我要投诉旭日小学强制订购教辅材料' });
    const summary = await post({ button: ref(asked, '不留电话') });
    const filed = await post({ button: ref(summary, '确认提交') });
    const code = /XH-\d{4}-\d{6}/.exec(filed.map((m) => m.text).join('\n'))![0];
    const staff = await slack.waitFor('chat.postMessage', (c) => JSON.stringify(c.body).includes(code), { timeoutMs: 15_000 });
    expect(JSON.stringify(staff.body)).toContain('网页');
  });

  it('answers a parent on Telegram and posts a filed complaint to the staff channel', async () => {
    const client = emulator.server.getClient(TOKEN, { chatId: 4242, userId: 4242, firstName: '家长' });
    await client.sendMessage(client.makeMessage('娃2020年8月30号生的今年能上一年级不'));
    const answer = await emulator.waitForBotMessage(4242, (m) => m.text.includes('8月31日'), 15_000);
    expect(answer.text).toContain('来源');

    await client.sendMessage(client.makeMessage('我要投诉彩屯小学乱收费，电话13812345678'));
    // The phone in the message is offered as the contact (issue 15): the parent confirms it.
    const offer = await emulator.waitForBotMessage(4242, (m) => m.text.includes('您在内容里留了电话 138****5678'), 15_000);
    const use = offer.replyMarkup?.inline_keyboard.flat().find((b) => b.text.includes('就用这个号码'));
    expect(use).toBeDefined();
    await client.sendCallback(client.makeCallbackQuery(use!.callback_data, { message: { message_id: offer.messageId } } as never));
    const confirm = await emulator.waitForBotMessage(4242, (m) => m.text.includes('确认'), 15_000);
    const button = confirm.replyMarkup?.inline_keyboard.flat().find((b) => b.text.includes('确认'));
    expect(button).toBeDefined();
    await client.sendCallback(client.makeCallbackQuery(button!.callback_data, { message: { message_id: confirm.messageId } } as never));
    const filed = await emulator.waitForBotMessage(4242, (m) => /XH-\d{4}-\d{6}/.test(m.text), 15_000);
    const code = /XH-\d{4}-\d{6}/.exec(filed.text)![0];

    const post = await slack.waitFor('chat.postMessage', (c) => JSON.stringify(c.body).includes(code), { timeoutMs: 15_000 });
    expect(post.body.channel).toBe(STAFF_CHANNEL);
    expect(JSON.stringify(post.body)).toContain('138****5678');
    expect(JSON.stringify(post.body)).not.toContain('13812345678');
  });

  it('names a staff channel the bot was removed from in /healthz (degraded, 200) and keeps the notice', async () => {
    slack.override('chat.postMessage', () => ({ json: { ok: false, error: 'not_in_channel' } }), 1_000);
    try {
      const origin = `http://127.0.0.1:${port}`;
      const page = await fetch(`${origin}/chat/`);
      const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
      const post = (body: object) =>
        fetch(`${origin}/chat/api/messages`, { method: 'POST', headers: { origin, 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
      type Msg = { text: string; buttons?: { label: string; ref: string }[][] };
      const say = async (body: object) => ((await (await post(body)).json()) as { messages: Msg[] }).messages;
      const ref = (messages: Msg[], label: string) => messages.flatMap((m) => (m.buttons ?? []).flat()).find((b) => b.label === label)!.ref;
      const asked = await say({ text: '我要投诉明德小学午餐费用不公开' });
      await say({ button: ref(await say({ button: ref(asked, '不留电话') }), '确认提交') });
      let body: Record<string, unknown> | null = null;
      for (let i = 0; i < 150 && !(body?.problems as Record<string, string> | undefined)?.slack; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100)); // bounded poll of a running process, not a timing assertion
        body = await healthz();
      }
      expect(body).toMatchObject({ status: 'degraded', problems: { slack: expect.stringContaining('not_in_channel') } });
      expect(stderr).toMatch(/staff notices cannot be posted \(not_in_channel\); invite the bot/);
    } finally {
      slack.override('chat.postMessage', () => ({}), 0);
    }
  });

  it('shuts down on SIGTERM with exit code 0 and releases the database', async () => {
    expect(existsSync(`${dbPath}.pid`)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(`${dbPath}.pid`)).toBe(false);
  });
});
