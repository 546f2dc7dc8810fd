import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSlackApp, type SlackDesk } from '../../../src/channels/slack/create-slack-app.js';
import { CASE_ACTIONS } from '../../../src/channels/slack/types.js';
import { createCaseDesk, type CaseDeskImpl } from '../../../src/core/cases/index.js';
import { silentLogger } from '../../../src/logger.js';
import { openDb, type Db } from '../../../src/storage/db.js';
import { migrate } from '../../../src/storage/migrate.js';
import { blockAction, slashCommand, STAFF_CHANNEL } from '../../helpers/slack-payloads.js';
import { startSlackStub, type SlackStub } from '../../helpers/slack-stub.js';

/**
 * Socket Mode end to end: the real Bolt app with an app token opens its connection through
 * apps.connections.open (on the Web API stub), which hands it a WebSocket on 127.0.0.1 (a `ws` server
 * standing in for Slack). Envelopes sent over that socket reach the same listeners as HTTP requests,
 * are acknowledged by envelope id, and the listeners answer through the Web API stub.
 */
let db: Db;
let desk: CaseDeskImpl;
let stub: SlackStub;
let slack: SlackDesk;
let wss: WebSocketServer;
let socket: WebSocket;
const received: { envelope_id?: string }[] = [];
let onReceived = () => {};

/** Resolves with the client's message acknowledging `envelopeId` (it arrives over the socket). */
function ackOf(envelopeId: string): Promise<{ envelope_id?: string }> {
  return new Promise((resolve) => {
    const check = () => {
      const ack = received.find((m) => m.envelope_id === envelopeId);
      if (ack) resolve(ack);
    };
    const previous = onReceived;
    onReceived = () => {
      previous();
      check();
    };
    check();
  });
}

beforeAll(async () => {
  db = await openDb(join(mkdtempSync(join(tmpdir(), 'civicdesk-socket-')), 'test.db'));
  await migrate(db);
  desk = createCaseDesk({ db });
  stub = await startSlackStub({ members: ['UBOT'] });
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
  stub.override('apps.connections.open', () => ({ json: { ok: true, url } }), 5);
  const connected = new Promise<WebSocket>((resolve) => {
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        received.push(JSON.parse(String(data)) as { envelope_id?: string });
        onReceived();
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' }, debug_info: { host: 'stand-in' } }));
      resolve(ws);
    });
  });
  slack = createSlackApp({
    botToken: 'xoxb-test',
    appToken: 'xapp-1-test',
    apiUrl: stub.apiUrl,
    db,
    desk,
    logger: silentLogger(),
    staffChannel: STAFF_CHANNEL,
    staffUserIds: ['USTAFF1'],
    adminUserIds: [],
    workingDaysBetween: (a, b) => desk.calendar.workingDaysBetween(a, b),
    drainIntervalMs: 60_000,
  });
  expect(await slack.start()).toBeNull(); // no HTTP port in Socket Mode
  socket = await connected;
}, 20_000);

afterAll(async () => {
  await slack?.stop();
  wss?.close();
  await stub?.close();
  await db?.close();
});

describe('Slack in Socket Mode', () => {
  it('opens its socket through apps.connections.open, with no HTTP port', () => {
    expect(stub.callsOf('apps.connections.open')).toHaveLength(1);
  });

  it('answers a slash command that arrives over the socket and acknowledges its envelope', async () => {
    await desk.file({ type: 'complaint', channel: 'telegram', chatId: 'c1', text: '彩屯小学每人多收200元资料费，没有收据', actor: 'citizen' });
    socket.send(
      JSON.stringify({
        envelope_id: 'env-cases',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: slashCommand({ command: '/cases', text: '', user_id: 'USTAFF1', response_url: stub.responseUrl('socket-cases') }),
      }),
    );
    expect(await ackOf('env-cases')).toMatchObject({ envelope_id: 'env-cases' });
    const listing = await stub.waitFor('response_url', (c) => c.path === '/response/socket-cases');
    expect(JSON.stringify(listing.body)).toContain('XH-');
    expect(JSON.stringify(listing.body)).toContain('彩屯小学每人多收200元资料费');
  });

  it('lets staff claim a case with a button pressed over the socket', async () => {
    const record = await desk.file({ type: 'inquiry', channel: 'telegram', chatId: 'c2', text: '转学需要哪些材料？孩子从平山区转来', actor: 'citizen' });
    socket.send(
      JSON.stringify({
        envelope_id: 'env-claim',
        type: 'interactive',
        accepts_response_payload: false,
        payload: blockAction({ actionId: CASE_ACTIONS.claim, value: record.code, responseUrl: stub.responseUrl('socket-claim') }),
      }),
    );
    expect(await ackOf('env-claim')).toMatchObject({ envelope_id: 'env-claim' });
    await expect.poll(async () => (await desk.get(record.code))?.state, { timeout: 5_000, interval: 20 }).toBe('claimed');
    expect((await desk.get(record.code))?.assignee).toBe('slack:USTAFF1');
  });
});
