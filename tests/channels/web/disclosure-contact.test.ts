import { afterEach, describe, expect, it } from 'vitest';
import { PERSON_ID } from '../../helpers/identity-numbers.js';
import { createWebStack, type WebStack } from '../../helpers/web-chat-harness.js';

/**
 * 《政府信息公开条例》第二十九条 asks for 联系方式, not a phone: the parent's 政府信息公开申请 on the web chat takes a phone,
 * an e-mail address or a postal address as the contact, refuses anything else saying what is accepted (the typed value
 * masked), shows it masked in the confirm summary and stores it whole on the case for staff.
 */
let stack: WebStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

type Message = { role: string; text: string; buttons?: { label: string; ref: string }[][] };

function session(s: WebStack) {
  let cookie = '';
  let last: Message[] = [];
  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(`${s.origin}/chat/api/messages`, {
      method: 'POST',
      headers: { origin: s.origin, 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    last = (((await res.json()) as { messages?: Message[] }).messages ?? []).filter((m) => m.role === 'bot');
    return last.map((m) => m.text).join('\n');
  };
  const press = (label: string) => {
    const ref = last.flatMap((m) => m.buttons ?? []).flat().find((b) => b.label === label)?.ref;
    expect(ref, `a "${label}" button`).toBeDefined();
    return post({ button: ref });
  };
  // What the bot wrote, as the page reads it back (the parent's own lines are theirs as typed).
  const transcript = async () => {
    const res = await fetch(`${s.origin}/chat/api/messages?after=0`, { headers: { cookie } });
    return (((await res.json()) as { messages: Message[] }).messages ?? []).filter((m) => m.role === 'bot').map((m) => m.text).join('\n');
  };
  return { post, press, transcript };
}

/** Up to the contact step of a 自然人's request. */
async function toContactStep(c: ReturnType<typeof session>) {
  await c.post({ text: '我要申请政府信息公开' });
  await c.press('自然人');
  await c.post({ text: '王丽' });
  await c.press('居民身份证');
  await c.post({ text: PERSON_ID });
  return c.post({ text: '溪湖区2026年小学学区划分方案及其文号' });
}

describe('web chat: the contact of a 政府信息公开申请 (第二十九条 联系方式)', () => {
  it('takes an e-mail address, shows it masked, and stores it whole on the case', async () => {
    stack = await createWebStack();
    const c = session(stack);
    expect(await toContactStep(c)).toContain('请留下联系电话（手机或带区号的座机）、电子邮箱或通讯地址');
    // Neither a phone, an e-mail nor an address: refused with what is accepted, the digits after the third starred.
    const refused = await c.post({ text: '微信 wangli1390000' });
    expect(refused).toContain('“微信 wangli139****”不是有效的联系方式');
    expect(refused).toContain('电子邮箱（如 name@example.com）');
    expect(refused).not.toContain('1390000');
    expect(await c.post({ text: 'wangli.edu@example.cn' })).toContain('您希望以什么形式获取这些信息？');
    await c.press('纸质');
    const confirm = await c.press('自取');
    expect(confirm).toContain('联系方式：w***@example.cn');
    expect(confirm).not.toContain('wangli.edu@');
    await c.press('确认提交');
    const [filed] = await stack.cases.list({ channel: 'web' });
    expect(filed).toMatchObject({ type: 'disclosure', contact: 'wangli.edu@example.cn', deliveryMethod: '自取' });
  });

  it('takes a postal address, shown cut to its city, and edits it through 联系方式', async () => {
    stack = await createWebStack();
    const c = session(stack);
    await toContactStep(c);
    const address = '辽宁省本溪市溪湖区河东路12号3单元 王丽 13900001234';
    expect(await c.post({ text: address })).toContain('您希望以什么形式获取这些信息？');
    await c.press('电子');
    await c.press('自取');
    let page = await c.transcript();
    expect(page).toContain('联系方式：辽宁省本溪市…');
    expect(page).not.toContain('河东路12号');
    expect(page).not.toContain('13900001234'.slice(3));
    // 修改 names the field 联系方式 (not 联系电话) for this request; a phone retyped there is taken too.
    await c.press('修改');
    await c.press('联系方式');
    expect(await c.post({ text: '024-42842001' })).toContain('联系方式：024-****01');
    await c.press('确认提交');
    page = await c.transcript();
    expect(page).toContain('已登记');
    const [filed] = await stack.cases.list({ channel: 'web' });
    expect(filed).toMatchObject({ type: 'disclosure', contact: '024-42842001' });
  });
});
