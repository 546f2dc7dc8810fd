import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, type WebStack } from '../../helpers/web-chat-harness.js';

/**
 * A case staff reopen (the desk call a Slack 复查/复核 撤销 makes) reaches the web chat parent with where their next
 * messages go; their details are added to it until staff answer or they send 取消, as after their own objection.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type Message = { id: number; role: string; text: string; buttons?: { label: string; ref: string }[][] };

function session(s: WebStack) {
  let cookie = '';
  let last: Message[] = [];
  let lastId = 0;
  // The bot's lines after this message (case messages delivered before it are not its reply).
  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(`${s.origin}/chat/api/messages`, {
      method: 'POST',
      headers: { origin: s.origin, 'content-type': 'application/json', cookie },
      body: JSON.stringify({ after: lastId, ...body }),
    });
    cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    const messages = ((await res.json()) as { messages?: Message[] }).messages ?? [];
    for (const m of messages) lastId = Math.max(lastId, m.id);
    const mine = messages.map((m) => m.role).lastIndexOf('parent');
    last = messages.slice(mine + 1).filter((m) => m.role === 'bot');
    return last.map((m) => m.text).join('\n');
  };
  const press = (label: string) => {
    const ref = last.flatMap((m) => m.buttons ?? []).flat().find((b) => b.label === label)?.ref;
    expect(ref, `a "${label}" button`).toBeDefined();
    return post({ button: ref });
  };
  const botLines = async () => {
    const res = await fetch(`${s.origin}/chat/api/messages?after=0`, { headers: { cookie } });
    return (((await res.json()) as { messages: Message[] }).messages ?? []).filter((m) => m.role === 'bot').map((m) => m.text);
  };
  return { post, press, botLines };
}

const followUps = async (s: WebStack, code: string) => (await s.cases.history(code)).filter((e) => e.kind === 'followup').map((e) => e.note);

describe('web chat: details after staff reopened a case', () => {
  it('tells the parent, adds their details to the case, and stops on 取消', async () => {
    stack = await createWebStack();
    const c = session(stack);
    await c.post({ text: '我要投诉彩屯小学收取补课费每人500元' });
    await c.press('不留电话');
    const code = /XH-\d{4}-\d{6}/.exec(await c.press('确认提交'))?.[0] ?? '';
    expect(code).not.toBe('');
    await stack.cases.act(code, { kind: 'claim' }, 'slack:USTAFF1');
    await stack.cases.act(code, { kind: 'close', note: '已责令学校退还补课费。' }, 'slack:USTAFF1');
    await stack.cases.act(code, { kind: 'reopen', note: '复查撤销' }, 'slack:USTAFF1');
    await stack.channel.sender.drain();
    expect((await c.botLines()).at(-1)).toContain(`您的诉求 ${code} 已重新办理，答复期限为 2026年12月8日。您接下来发送的情况说明会补充到这个诉求（发送“取消”即不再补充）。`);

    expect(await c.post({ text: '补充：还有100元资料费没有退' })).toBe(
      `已收到，已补充到重新办理的诉求 ${code}，工作人员会一并处理。（发送“取消”后，之后的消息不再补充到这个诉求。）`,
    );
    expect(await followUps(stack, code)).toEqual(['补充：还有100元资料费没有退']);
    expect(await c.post({ text: '取消' })).toBe(`好的，之后的消息不再补充到诉求 ${code}。诉求 ${code} 仍在重新办理中。`);
    expect(await c.post({ text: '小学什么时候报名？' })).toContain('开放网上报名');
    expect(await followUps(stack, code)).toEqual(['补充：还有100元资料费没有退']);
  });
});
