import { afterEach, describe, expect, it } from 'vitest';
import { TEXT_MAX } from '../../src/channels/web/inbound.js';
import { createWebStack, type WebStack } from '../helpers/web-chat-harness.js';
import { webParent } from '../helpers/web-chat-client.js';

/**
 * Broken input on the web chat's POST /chat/api/messages (the page never sends it; a script, a broken
 * proxy or an old page can): text over the page's limit, bytes that are not UTF-8, emoji sequences.
 * Each gets a clear Chinese answer and nothing is silently cut or altered.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Answer {
  status: number;
  message?: string;
  messages: { role: string; text: string }[];
}

async function session(s: WebStack) {
  const page = await fetch(`${s.origin}/chat/`);
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const send = async (body: string | Blob): Promise<Answer> => {
    const res = await fetch(`${s.origin}/chat/api/messages`, {
      method: 'POST',
      headers: { origin: s.origin, 'content-type': 'application/json', cookie },
      body,
    });
    const json = (await res.json()) as { message?: string; messages?: Answer['messages'] };
    return { status: res.status, ...(json.message ? { message: json.message } : {}), messages: json.messages ?? [] };
  };
  const history = async () => {
    const res = await fetch(`${s.origin}/chat/api/messages?after=0`, { headers: { cookie } });
    return ((await res.json()) as { messages: Answer['messages'] }).messages;
  };
  return { send, history };
}

describe('web chat: broken input gets a clear answer and nothing is cut', () => {
  it.each([
    ['Chinese text just over the limit', '转'.repeat(TEXT_MAX + 1)],
    ['Latin text twice the limit and more', 'a'.repeat(TEXT_MAX * 2 + 500)],
  ])('%s → 413 naming the limit, nothing stored', async (_name, text) => {
    stack = await createWebStack();
    const c = await session(stack);
    const answer = await c.send(JSON.stringify({ text }));
    expect(answer.status).toBe(413);
    expect(answer.message).toBe(`内容太长：一条消息最多 ${TEXT_MAX} 字，请分几次发送。`);
    expect(await c.history()).toEqual([]);
  });

  it(`keeps a message of exactly ${TEXT_MAX} characters whole (line ends normalised only)`, async () => {
    stack = await createWebStack();
    const c = await session(stack);
    const text = `${'孩子转学的材料'.repeat(285)}\n请问好吗`; // 2,000 characters
    expect(Array.from(text)).toHaveLength(TEXT_MAX);
    const answer = await c.send(JSON.stringify({ text }));
    expect(answer.status).toBe(200);
    expect(answer.messages.find((m) => m.role === 'parent')?.text).toBe(text);
  });

  it('answers a refusal in the language the parent chose in the chat, not the browser\'s', async () => {
    stack = await createWebStack();
    const c = await session(stack); // no Accept-Language: the page is Chinese
    expect((await c.send(JSON.stringify({ lang: 'en' }))).status).toBe(200);
    const answer = await c.send(JSON.stringify({ text: '转'.repeat(TEXT_MAX + 1) }));
    expect(answer.status).toBe(413);
    expect(answer.message).toBe(`That is too long: a message holds at most ${TEXT_MAX} characters. Please send it in several parts.`);
  });

  it('a body that is not UTF-8 → 400 saying so; nothing stored, the next message is answered', async () => {
    stack = await createWebStack();
    const c = await session(stack);
    const bad = Buffer.concat([Buffer.from('{"text":"小学'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('报名"}')]);
    const answer = await c.send(new Blob([new Uint8Array(bad)]));
    expect(answer.status).toBe(400);
    expect(answer.message).toBe('消息中有无法识别的字符编码，没有收到。请重新输入后发送。');
    expect(await c.history()).toEqual([]);
    const next = await c.send(JSON.stringify({ text: '小学报名' }));
    expect(next.status).toBe(200);
    expect(next.messages.some((m) => m.role === 'bot')).toBe(true);
  });

  it('keeps emoji ZWJ sequences and skin tones as sent, drops only bidi and zero-width controls', async () => {
    stack = await createWebStack();
    const c = await session(stack);
    const family = '👨‍👩‍👧';
    const thumbs = '👍🏽';
    const answer = await c.send(JSON.stringify({ text: `我家${family}三口人${thumbs}\u202e孩子\u200b上学` }));
    expect(answer.status).toBe(200);
    expect(answer.messages.find((m) => m.role === 'parent')?.text).toBe(`我家${family}三口人${thumbs}孩子上学`);
  });

  it('half a character (a lone surrogate the JSON body carries) becomes U+FFFD in the transcript and the case; the emoji beside it stays whole', async () => {
    stack = await createWebStack();
    const c = await session(stack);
    // JSON.stringify writes the lone surrogate as the escape \ud800, as a script or a broken proxy can send it.
    const answer = await c.send(JSON.stringify({ text: '孩子\uD800😀上学' }));
    expect(answer.status).toBe(200);
    expect(answer.messages.find((m) => m.role === 'parent')?.text).toBe('孩子\uFFFD😀上学');

    const parent = webParent(stack);
    const code = await parent.fileComplaint('我要投诉彩屯小学乱收费\uD800😀每个学生收500元资料费');
    expect((await stack.cases.get(code))?.text).toBe('我要投诉彩屯小学乱收费\uFFFD😀每个学生收500元资料费');
    const row = await stack.db.get<{ text: string }>('SELECT text FROM cases WHERE code = ?', [code]);
    expect(row?.text).toBe('我要投诉彩屯小学乱收费\uFFFD😀每个学生收500元资料费');
    expect((await parent.history()).filter((t) => t.includes('彩屯小学乱收费'))[0]).toBe('我要投诉彩屯小学乱收费\uFFFD😀每个学生收500元资料费');
  });

  it('a message of invisible characters only is answered, not met with silence', async () => {
    stack = await createWebStack();
    const c = await session(stack);
    const answer = await c.send(JSON.stringify({ text: '\u0000\u200b\u202e\u2066\ufeff' }));
    expect(answer.status).toBe(200);
    expect(answer.messages.map((m) => [m.role, m.text])).toEqual([['bot', '没有收到文字内容，请输入您的问题后再发送。']]);
  });

  it('a message id sent again with other words is answered, not dropped as a duplicate; with the same words it is handled once', async () => {
    stack = await createWebStack();
    const c = await session(stack);
    const id = 'replayed-id-0001';
    expect((await c.send(JSON.stringify({ id, text: '小学报名' }))).status).toBe(200);
    expect((await c.send(JSON.stringify({ id, text: '小学报名' }))).status).toBe(200);
    const other = await c.send(JSON.stringify({ id, text: '转学需要什么材料' }));
    expect(other.status).toBe(200);
    const parents = (await c.history()).filter((m) => m.role === 'parent').map((m) => m.text);
    expect(parents).toEqual(['小学报名', '转学需要什么材料']);
    const history = await c.history();
    expect(history.at(-1)?.role).toBe('bot');
    // The keys name the session and a digest of the masked words: the parent's erase takes them with the session.
    const sessionId = (await stack.db.get<{ id: string }>('SELECT id FROM web_sessions'))!.id;
    const keys = async () => (await stack!.db.all<{ key: string }>("SELECT key FROM processed_inbound WHERE source = 'web'")).map((r) => r.key);
    expect((await keys()).filter((k) => k.startsWith(`${sessionId}:`))).toHaveLength(2);
    const info = (await c.send(JSON.stringify({ id: 'erase-ask-0001', menu: 'privacy' }))) as unknown as { messages: { buttons?: { label: string; ref: string }[][] }[] };
    const confirm = info.messages.flatMap((m) => m.buttons ?? []).flat().find((b) => b.label === '确认删除');
    expect((await c.send(JSON.stringify({ id: 'erase-yes-0001', button: confirm!.ref }))).status).toBe(200);
    expect((await keys()).filter((k) => k.startsWith(`${sessionId}:`))).toEqual([]);
  });

  it.each([
    ['an empty object', '{}'],
    ['text of the wrong type', '{"text": 12}'],
    ['an unknown menu item', '{"menu": "admin"}'],
  ])('%s → 400 with the reload hint, nothing stored', async (_name, body) => {
    stack = await createWebStack();
    const c = await session(stack);
    const answer = await c.send(body);
    expect(answer.status).toBe(400);
    expect(answer.message).toBe('无法识别的请求，请刷新页面后重试。');
    expect(await c.history()).toEqual([]);
  });
});
