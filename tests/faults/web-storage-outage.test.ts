import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, type WebStack } from '../helpers/web-chat-harness.js';
import { refuseWrites } from './helpers/refuse-writes.js';

/**
 * The web chat when the database refuses writes (read-only after a failover, a full disk) at the moment a
 * parent confirms a petition. The page shows the server's `message` when a POST fails and keeps the typed
 * text; before, the answer was a bare "Internal error" 500 in plain text, which the page could not read
 * (it showed the browser's JSON parse error). Now: a JSON 503 in the parent's language saying nothing was
 * received or filed, no case, and the same button files the case once the database writes again.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

interface Dto {
  id: number;
  text: string;
  buttons?: { label: string; ref: string }[][];
}

function client(s: WebStack, language: string) {
  let cookie = '';
  return {
    open: async () => {
      const res = await fetch(`${s.origin}/chat/`, { headers: { 'accept-language': language } });
      cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    },
    post: async (body: Record<string, unknown>) => {
      const res = await fetch(`${s.origin}/chat/api/messages`, {
        method: 'POST',
        headers: { origin: s.origin, 'content-type': 'application/json', 'accept-language': language, cookie },
        body: JSON.stringify(body),
      });
      expect(res.headers.get('content-type')).toContain('application/json');
      const json = (await res.json()) as { message?: string; messages?: Dto[] };
      return { status: res.status, retryAfter: res.headers.get('retry-after'), message: json.message, messages: json.messages ?? [] };
    },
    history: async () => {
      const res = await fetch(`${s.origin}/chat/api/messages?after=0`, { headers: { cookie } });
      return ((await res.json()) as { messages: Dto[] }).messages;
    },
  };
}

const ref = (messages: Dto[], label: string) => messages.flatMap((m) => (m.buttons ?? []).flat()).find((b) => b.label === label)!.ref;
const caseCount = async (s: WebStack) => (await s.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases'))!.n;

describe('web chat: the database refuses writes when a petition is confirmed', () => {
  it.each([
    ['zh-CN', '确认提交', '不留电话', '系统暂时无法记录您的消息，这条消息没有收到，也没有登记任何诉求。请稍后重新发送。', /已登记，编号 XH-\d{4}-\d{6}/],
    ['en-GB', 'Submit', 'No phone', 'We cannot record messages right now: this one was not received and nothing was filed. Please send it again later.', /Filed as XH-\d{4}-\d{6}/],
  ])('(%s) answers 503 in JSON with a sentence the page shows, files nothing, and files once writes are back', async (language, confirm, skip, refusal, filed) => {
    stack = await createWebStack();
    const c = client(stack, language);
    await c.open();
    const first = await c.post({ text: '我要投诉彩屯小学收取补课费每人500元' });
    const confirmPrompt = await c.post({ button: ref(first.messages, skip) });
    const button = ref(confirmPrompt.messages, confirm);

    await refuseWrites(stack.db, true);
    const refused = await c.post({ id: 'confirm-0001', button });
    expect(refused).toMatchObject({ status: 503, retryAfter: '30', message: refusal, messages: [] });
    await refuseWrites(stack.db, false);
    expect(await caseCount(stack)).toBe(0);

    // The parent presses the same button again (the page sends a new id): the case is filed, once.
    const again = await c.post({ id: 'confirm-0002', button });
    expect(again.status).toBe(200);
    expect(again.messages.map((m) => m.text).join('\n')).toMatch(filed);
    expect(await caseCount(stack)).toBe(1);
  });
});

describe('web chat: the database fails after the engine took the message', () => {
  it('does not say nothing was filed: the case is committed, the parent is asked to check 查询进度 before resending', async () => {
    stack = await createWebStack();
    const s = stack;
    const c = client(s, 'zh-CN');
    await c.open();
    const first = await c.post({ text: '我要投诉彩屯小学收取补课费每人500元' });
    const confirmPrompt = await c.post({ button: ref(first.messages, '不留电话') });
    const button = ref(confirmPrompt.messages, '确认提交');
    // The engine files the case (committed); then the database refuses the write of the bot's replies.
    const handle = s.engine.handle.bind(s.engine);
    s.engine.handle = async (incoming) => {
      const replies = await handle(incoming);
      await refuseWrites(s.db, true);
      return replies;
    };
    const refused = await c.post({ id: 'confirm-0001', button });
    await refuseWrites(s.db, false);
    s.engine.handle = handle;
    expect(refused).toMatchObject({
      status: 503,
      message: '您的消息已收到，但系统暂时无法保存回复，处理可能没有完成。请稍后发送“查询进度”，确认是否已经登记，再决定是否重新发送，以免重复登记。',
    });
    expect(await caseCount(s)).toBe(1);
    const status = await c.post({ id: 'status-0001', text: '查询进度' });
    expect(status.messages.map((m) => m.text).join('\n')).toMatch(/XH-\d{4}-\d{6}/);
  });
});

describe('web chat: the page opened while the database refuses writes', () => {
  it('says in the parent\'s language that the help is unavailable and gives the phone (503), then works again', async () => {
    stack = await createWebStack();
    const returning = await fetch(`${stack.origin}/chat/`);
    const cookie = returning.headers.get('set-cookie')!.split(';')[0]!;
    await refuseWrites(stack.db, true);
    for (const [language, headers, sentence] of [
      ['zh', {}, '在线咨询暂时无法使用，请稍后刷新本页再试。如情况紧急，请拨打 024-42842001。'],
      ['zh', { cookie }, '在线咨询暂时无法使用，请稍后刷新本页再试。如情况紧急，请拨打 024-42842001。'],
      ['en', { 'accept-language': 'en-US' }, 'The online help is unavailable right now. Please reload this page later, or call 024-42842001 if it is urgent.'],
    ] as const) {
      const res = await fetch(`${stack.origin}/chat/`, { headers });
      expect(res.status, language).toBe(503);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toContain(`<p>${sentence}</p>`);
    }
    // The privacy notice's "seen" mark cannot be written: a JSON answer, and the notice simply shows again.
    const notice = await fetch(`${stack.origin}/chat/api/notice`, { method: 'POST', headers: { origin: stack.origin, 'content-type': 'application/json', cookie }, body: '{}' });
    expect(notice.status).toBe(503);
    expect(((await notice.json()) as { message: string }).message).toBe('系统暂时无法记录您的消息，这条消息没有收到，也没有登记任何诉求。请稍后重新发送。');
    await refuseWrites(stack.db, false);
    const back = await fetch(`${stack.origin}/chat/`, { headers: { cookie } });
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('<script src="/chat/chat.js"');
  });
});

describe('web chat: a rating while the database refuses writes', () => {
  it('says the rating of that case was not saved (typed stars or a pressed star), loses nothing, and takes it once writes are back', async () => {
    stack = await createWebStack();
    const s = stack;
    const c = client(s, 'zh-CN');
    await c.open();
    const first = await c.post({ text: '我要投诉彩屯小学收取补课费每人500元' });
    const confirmPrompt = await c.post({ button: ref(first.messages, '不留电话') });
    await c.post({ button: ref(confirmPrompt.messages, '确认提交') });
    const [record] = await s.cases.list({ channel: 'web', limit: 10 });
    await s.cases.act(record!.code, { kind: 'claim' }, 'staff');
    await s.cases.act(record!.code, { kind: 'reply', text: '已责令学校退还补课费。' }, 'staff');
    await s.cases.act(record!.code, { kind: 'close', note: '已退费' }, 'staff');
    await s.channel.sender.drain();
    const star = ref(await c.history(), '★★★★★ 非常满意');

    await refuseWrites(s.db, true);
    const said = `系统繁忙，暂时无法记录您对诉求 ${record!.code} 的评价，这次评价没有保存。请稍后重新发送，或再点一次办结消息下的星级。`;
    for (const [n, text] of ['5星', '★★★★'].entries()) expect(await c.post({ id: `typed-000${n}`, text })).toMatchObject({ status: 503, retryAfter: '30', message: said, messages: [] });
    expect(await c.post({ id: 'pressed-0001', button: star })).toMatchObject({ status: 503, message: said });
    // Any other message still gets the generic refusal.
    expect((await c.post({ id: 'question-0001', text: '小学什么时候报名' })).message).toBe('系统暂时无法记录您的消息，这条消息没有收到，也没有登记任何诉求。请稍后重新发送。');
    await refuseWrites(s.db, false);
    expect(await s.db.all('SELECT value FROM ratings')).toEqual([]);

    const again = await c.post({ id: 'typed-0009', text: '★★★★' });
    expect(again.status).toBe(200);
    expect(again.messages.map((m) => m.text).join('\n')).toContain('感谢您的评价');
    expect(await s.db.all('SELECT value FROM ratings')).toEqual([{ value: 4 }]);
  });
});
