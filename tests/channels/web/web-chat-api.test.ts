import { afterEach, describe, expect, it } from 'vitest';
import { registerSlackCatalog } from '../../../src/core/i18n/slack.js';
import { caseMessage } from '../../../src/channels/slack/blocks.js';
import { createWebSender } from '../../../src/channels/web/sender.js';
import { silentLogger } from '../../../src/logger.js';
import { enqueueOutbox, getOutboxRow } from '../../../src/storage/outbox-repo.js';
import { appendWebMessage, deleteWebSession } from '../../../src/storage/web-repo.js';
import { PERSON_ID, PERSON_ID_BAD, PERSON_ID_MASKED } from '../../helpers/identity-numbers.js';
import { createWebStack, type WebStack } from '../../helpers/web-chat-harness.js';

/**
 * The web chat's HTTP side without a browser: cookies, origin and size
 * checks, rate limits, delivery through the outbox (offline sessions,
 * ordering, redelivery after a crash), the event stream and erasing.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Dto {
  id: number;
  role: string;
  text: string;
  buttons?: { label: string; ref: string }[][];
}

/** A browser stand-in: keeps the cookie and the page's origin. */
function client(s: WebStack, headers: Record<string, string> = {}) {
  let cookie = '';
  let lastId = 0;
  const keep = (res: Response) => {
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    return res;
  };
  return {
    get cookie() {
      return cookie;
    },
    open: async () => keep(await fetch(`${s.origin}/chat/`, { headers: { cookie, ...headers } })),
    post: async (body: Record<string, unknown>, extra: Record<string, string> = {}) => {
      const res = keep(
        await fetch(`${s.origin}/chat/api/messages`, {
          method: 'POST',
          headers: { origin: s.origin, 'content-type': 'application/json', cookie, ...headers, ...extra },
          body: JSON.stringify({ after: lastId, ...body }),
        }),
      );
      const json = (await res.json()) as { messages?: Dto[]; message?: string; reset?: boolean };
      for (const m of json.messages ?? []) lastId = Math.max(lastId, m.id);
      return { status: res.status, ...json, messages: json.messages ?? [] };
    },
    history: async (after = 0) => {
      const res = await fetch(`${s.origin}/chat/api/messages?after=${after}`, { headers: { cookie, ...headers } });
      return { status: res.status, ...((await res.json()) as { messages?: Dto[] }) };
    },
  };
}

const buttonRef = (messages: Dto[], label: string) => messages.flatMap((m) => (m.buttons ?? []).flat()).find((b) => b.label === label)?.ref;

async function fileComplaint(c: ReturnType<typeof client>): Promise<string> {
  const first = await c.post({ text: '我要投诉彩屯小学收取补课费每人500元' });
  const skip = await c.post({ button: buttonRef(first.messages, '不留电话')! });
  const done = await c.post({ button: buttonRef(skip.messages, '确认提交')! });
  const code = /XH-\d{4}-\d{6}/.exec(done.messages.map((m) => m.text).join('\n'))?.[0];
  if (!code) throw new Error(`no case code in ${JSON.stringify(done.messages)}`);
  return code;
}

describe('web chat sessions', () => {
  it('sets an httpOnly SameSite cookie with the configured lifetime, Secure only behind HTTPS', async () => {
    stack = await createWebStack({ WEB_CHAT_SESSION_DAYS: '7', WEB_CHAT_TRUST_PROXY: 'true' });
    const plain = await client(stack).open();
    expect(plain.headers.get('set-cookie')).toMatch(/^cd_chat=[\w-]{43}; Path=\/chat\/; Max-Age=604800; HttpOnly; SameSite=Lax$/);
    const https = await client(stack, { 'x-forwarded-proto': 'https' }).open();
    expect(https.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
    const csp = plain.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('speaks English when the browser asks for it, and links a privacy text with the retention days', async () => {
    stack = await createWebStack({ RETENTION_MESSAGE_DAYS: '60' });
    const page = await (await client(stack, { 'accept-language': 'en-US,en;q=0.9,zh-CN;q=0.5' }).open()).text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<title>本溪市溪湖区教育局 online help</title>');
    const zh = await (await client(stack, { 'accept-language': 'zh-CN,zh;q=0.9' }).open()).text();
    expect(zh).toContain('<html lang="zh-CN">');
    const privacy = await (await fetch(`${stack.origin}/chat/privacy?lang=zh`)).text();
    expect(privacy).toContain('60 天后删除');
  });

  it('keeps a session that never sent a message for a day at most, a used one for the configured lifetime', async () => {
    stack = await createWebStack({ WEB_CHAT_SESSION_DAYS: '30' });
    const c = client(stack);
    await c.open();
    const expiry = async () => {
      const row = await stack!.db.get<{ createdAt: string; expiresAt: string }>('SELECT created_at AS createdAt, expires_at AS expiresAt FROM web_sessions');
      return (Date.parse(row!.expiresAt) - Date.parse(row!.createdAt)) / 86_400_000;
    };
    expect(await expiry()).toBeCloseTo(1, 2);
    await c.post({ text: '你好' });
    expect(await expiry()).toBeGreaterThan(29.9);
  });

  it('lists the allowed embedding origins in frame-ancestors', async () => {
    stack = await createWebStack({ WEB_CHAT_ORIGINS: 'https://www.xhedu.gov.cn, https://jyj.example.cn:8443' });
    const res = await client(stack).open();
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://www.xhedu.gov.cn https://jyj.example.cn:8443");
    expect(res.headers.get('x-frame-options')).toBeNull();
  });

  it('refuses state changes from other origins, non-JSON and oversized bodies, and stores nothing', async () => {
    stack = await createWebStack();
    const c = client(stack);
    await c.open();
    expect((await c.post({ text: '你好' }, { origin: 'https://evil.example' })).status).toBe(403);
    // Its own origin but not JSON (an old or broken page): 415 and the reload hint, not "wrong site".
    const plain = await c.post({ text: '你好' }, { 'content-type': 'text/plain' });
    expect([plain.status, plain.message]).toEqual([415, '无法识别的请求，请刷新页面后重试。']);
    expect((await c.post({ text: '你好' }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const noOrigin = await fetch(`${stack.origin}/chat/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: c.cookie },
      body: '{"text":"你好"}',
    });
    expect(noOrigin.status).toBe(403);
    const big = await c.post({ text: '长'.repeat(6000) });
    expect(big.status).toBe(413);
    expect(big.message).toBe('内容太长：一条消息最多 2000 字，请分几次发送。');
    expect((await c.post({ text: '你好', extra: 1 })).status).toBe(400);
    expect((await c.history()).messages).toEqual([]);
  });

  it('limits one session to the Telegram flood rule: a notice, then silence', async () => {
    stack = await createWebStack();
    const c = client(stack);
    await c.open();
    for (let i = 0; i < 20; i++) await c.post({ text: `你好${i}` });
    const notice = await c.post({ text: '还有一个问题' });
    expect(notice.messages.at(-1)?.text).toBe('您发送得太快了，请稍候一分钟再继续。我们会处理您之后发来的消息。');
    const silent = await c.post({ text: '再问一个' });
    expect(silent.messages).toEqual([]);
  }, 30_000);

  it('limits requests per IP address with 429', async () => {
    stack = await createWebStack({ WEB_CHAT_IP_PER_MINUTE: '3' });
    const c = client(stack);
    await c.open();
    await c.post({ text: '你好' });
    await c.history();
    const refused = await c.post({ text: '你好' });
    expect(refused.status).toBe(429);
    expect(refused.message).toBe('来自您网络的请求过多，请稍后再试。');
  });

  it('handles a retried message (same id) once', async () => {
    stack = await createWebStack();
    const c = client(stack);
    await c.open();
    await c.post({ id: 'retry-0001', text: '小学什么时候报名？' });
    await c.post({ id: 'retry-0001', text: '小学什么时候报名？', after: 0 });
    const parents = (await c.history()).messages?.filter((m) => m.role === 'parent') ?? [];
    expect(parents.map((m) => m.text)).toEqual(['小学什么时候报名？']);
  });

  it('files a 政府信息公开申请 with its 身份证明; the transcript and the database copy of the chat keep the number masked', async () => {
    stack = await createWebStack();
    const c = client(stack);
    await c.open();
    let r = await c.post({ text: '我要申请政府信息公开' });
    r = await c.post({ button: buttonRef(r.messages, '自然人')! });
    r = await c.post({ text: '周芳' });
    r = await c.post({ button: buttonRef(r.messages, '居民身份证')! });
    r = await c.post({ text: PERSON_ID_BAD });
    expect(r.messages.map((m) => m.text)).toContain('证件号码 110105********0021 的校验位与号码不符，可能有一位输错了，请核对后重新输入。');
    r = await c.post({ text: PERSON_ID });
    expect(r.messages.map((m) => m.text).join('\n')).toContain('请描述您要申请公开的政府信息');
    const parents = (await c.history()).messages?.filter((m) => m.role === 'parent').map((m) => m.text) ?? [];
    expect(parents).toEqual(['我要申请政府信息公开', '自然人', '周芳', '居民身份证', '110105********0021', PERSON_ID_MASKED]);
    const stored = await stack.db.all<{ payload: string }>('SELECT payload FROM web_messages');
    expect(stored.map((row) => row.payload).join('')).not.toContain(PERSON_ID);
  });

  it("does not act on another session's button", async () => {
    stack = await createWebStack();
    const a = client(stack);
    const b = client(stack);
    await Promise.all([a.open(), b.open()]);
    const first = await a.post({ text: '我要投诉彩屯小学收取补课费每人500元' });
    const forged = await b.post({ button: buttonRef(first.messages, '不留电话')! });
    expect(forged.messages.at(-1)?.text).toBe('这个按钮已失效，请重新发送您的问题。');
  });
});

describe('web chat during a shutdown (SIGTERM)', () => {
  it('answers the message in hand, then refuses new ones with 503 "restarting, send again" until it has stopped', async () => {
    let entered!: () => void;
    const inHand = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const real: { engine?: WebStack['engine'] } = {};
    stack = await createWebStack({}, {
      engine: {
        handle: async (incoming, options) => {
          entered();
          await gate; // the turn is in hand when the shutdown starts
          return real.engine!.handle(incoming, options);
        },
      },
    });
    real.engine = stack.engine;
    const first = client(stack);
    const second = client(stack);
    await first.open();
    await second.open();
    const answered = first.post({ text: '娃2020年8月30号生的今年能上一年级不', id: 'inhand-0001' });
    await inHand;

    let stopped = false;
    const stopping = stack.channel.stop().then((r) => {
      stopped = true;
      return r;
    });
    const refused = await fetch(`${stack.origin}/chat/api/messages`, {
      method: 'POST',
      headers: { origin: stack.origin, 'content-type': 'application/json', cookie: second.cookie },
      body: JSON.stringify({ text: '学区怎么划分', id: 'refused-0001' }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toEqual({ error: 'restarting', message: '咨询系统正在重启，这条消息没有收到。请稍等几秒后重新发送。' });
    expect(stopped).toBe(false); // still waiting for the message in hand

    release();
    const reply = await answered;
    expect(reply.status).toBe(200);
    expect(reply.messages.map((m) => m.text).join('\n')).toContain('8月31日');
    expect(await stopping).toEqual({ turnsFinished: 1 });
    // The refused message was not taken: nothing of it in that parent's transcript.
    expect((await second.history()).messages ?? []).toEqual([]);
  });
});

describe('web chat delivery', () => {
  it('keeps staff replies for an offline session, in order, for its next visit', async () => {
    stack = await createWebStack();
    const c = client(stack);
    await c.open();
    const code = await fileComplaint(c);
    const seen = (await c.history()).messages!.at(-1)!.id;
    // The parent is gone (no stream, no page); staff work the case.
    await stack.cases.act(code, { kind: 'claim' }, 'staff');
    await stack.cases.act(code, { kind: 'reply', text: '已转学校核实。' }, 'staff');
    await stack.cases.act(code, { kind: 'close', note: '已退费' }, 'staff');
    await stack.channel.sender.drain();
    const later = await c.history(seen);
    const texts = later.messages!.map((m) => m.text);
    expect(texts.findIndex((t) => t.includes('已转学校核实。'))).toBeGreaterThanOrEqual(0);
    expect(texts.findIndex((t) => t.includes('已转学校核实。'))).toBeLessThan(texts.findIndex((t) => t.includes('办结')));
    expect(later.messages!.at(-1)?.buttons?.flat().some((b) => b.label.includes('★★★★★'))).toBe(true);
    // The staff desk labels the case's channel 网页.
    registerSlackCatalog();
    const record = (await stack.cases.get(code))!;
    const { blocks } = caseMessage(record, { locale: 'zh', timeZone: 'Asia/Shanghai', now: stack.now() });
    expect(JSON.stringify(blocks)).toContain('网页');
  });

  it('a closing answer for a parent whose session is gone (erased) is not stored unread: staff are told on the case', async () => {
    let at = Date.UTC(2026, 10, 24, 1, 30, 0);
    stack = await createWebStack({ WEB_CHAT_SESSION_DAYS: '1' }, { now: () => new Date(at) });
    const c = client(stack);
    await c.open();
    const code = await fileComplaint(c);
    await stack.cases.act(code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    at += 3 * 86_400_000;
    // Past its one-day lifetime the session is kept by its open case (session-kept-by-case.test.ts); erased, it is gone.
    await deleteWebSession(stack.db, (await stack.cases.get(code))!.chatId!, new Date(at));
    await stack.cases.act(code, { kind: 'close', note: '已责令学校退还补课费。' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    expect(await stack.cases.get(code)).toMatchObject({ state: 'closed', unreachable: true });
    const last = (await stack.cases.history(code)).at(-1);
    expect(last).toMatchObject({ kind: 'undelivered', note: '网页聊天：会话已结束（家长已离开）' });
    const staff = await stack.db.all<{ payload: string }>("SELECT payload FROM outbox WHERE target = 'staff' ORDER BY id");
    expect(staff.map((r) => JSON.parse(r.payload) as { change: string }).at(-1)?.change).toBe('undelivered');
    const rows = await stack.db.all<{ state: string }>("SELECT state FROM outbox WHERE target = 'web' ORDER BY id");
    expect(rows.at(-1)?.state).toBe('dead');
  });

  it('pushes a later reply over Server-Sent Events and resumes after Last-Event-ID', async () => {
    stack = await createWebStack();
    const c = client(stack);
    await c.open();
    const code = await fileComplaint(c);
    const last = (await c.history()).messages!.at(-1)!.id;
    const controller = new AbortController();
    const res = await fetch(`${stack.origin}/chat/api/events`, { headers: { cookie: c.cookie, 'last-event-id': String(last) }, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    await stack.cases.act(code, { kind: 'claim' }, 'staff');
    await stack.cases.act(code, { kind: 'reply', text: '我们明天回电。' }, 'staff');
    let text = '';
    while (!text.includes('我们明天回电。')) text += new TextDecoder().decode((await reader.read()).value);
    // Only what came after Last-Event-ID: the claim notice, then the reply.
    expect(text).toMatch(new RegExp(`id: ${last + 1}\\nevent: message\\ndata: \\{`));
    expect(text).not.toContain(`id: ${last}\n`);
    expect(await stack.metrics.getSingleMetricAsString('civicdesk_web_chat_streams')).toContain('civicdesk_web_chat_streams 1');
    controller.abort();
  });

  it('stores a row redelivered after a crash only once', async () => {
    stack = await createWebStack();
    const c = client(stack);
    await c.open();
    await c.post({ text: '你好' });
    const sessionId = (await stack.db.get<{ id: string }>('SELECT id FROM web_sessions'))!.id;
    const now = stack.now();
    const id = (await enqueueOutbox(stack.db, { target: 'web', address: sessionId, payload: [{ text: '第一条' }, { text: '第二条' }] }, now))!;
    // The process stored the first line, then died before marking the row sent.
    await stack.db.run("UPDATE outbox SET state = 'sending' WHERE id = ?", [id]);
    await appendWebMessage(stack.db, { sessionId, role: 'bot', payload: { text: '第一条' }, outboxId: id, part: 0, now });
    const restarted = createWebSender({ db: stack.db, logger: silentLogger(), now: stack.now, delivered: () => undefined, pollMs: 0, reopenDays: 15 });
    await restarted.start();
    const texts = (await c.history()).messages!.map((m) => m.text);
    expect(texts.filter((t) => t === '第一条')).toHaveLength(1);
    expect(texts.filter((t) => t === '第二条')).toHaveLength(1);
    expect((await getOutboxRow(stack.db, id))?.state).toBe('sent');
  });

  it('erases the transcript, withdraws and anonymises cases, and rotates the session', async () => {
    stack = await createWebStack();
    const c = client(stack);
    await c.open();
    const code = await fileComplaint(c);
    const oldCookie = c.cookie;
    const oldSession = (await stack.db.get<{ id: string }>('SELECT id FROM web_sessions'))!.id;
    const info = await c.post({ menu: 'privacy' });
    const erased = await c.post({ button: buttonRef(info.messages, '确认删除')! });
    expect(erased.reset).toBe(true);
    expect(erased.messages.map((m) => m.text).join('\n')).toContain('已删除');
    expect(c.cookie).not.toBe(oldCookie);
    // The old cookie opens nothing any more; the new session has only the confirmation.
    const stale = await fetch(`${stack.origin}/chat/api/messages`, { headers: { cookie: oldCookie } });
    expect(stale.status).toBe(401);
    expect((await c.history()).messages!.every((m) => m.role === 'bot')).toBe(true);
    expect(await stack.db.get('SELECT 1 FROM web_messages WHERE session_id = ?', [oldSession])).toBeUndefined();
    const record = await stack.cases.get(code);
    expect(record?.state).toBe('withdrawn');
    expect(record?.chatId).toBeNull();
  });
});
