import { afterEach, describe, expect, it } from 'vitest';
import { createWebStack, type WebStack } from '../../helpers/web-chat-harness.js';

/**
 * review18 R11: behind a proxy that appends to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for, most load
 * balancers and CDNs) the header starts with whatever the client wrote. The per-IP limit counts the address the
 * bureau's own proxies saw: WEB_CHAT_TRUSTED_PROXIES entries from the right.
 */
describe('web chat per-IP limit behind appending proxies (real HTTP, SQLite)', () => {
  let stack: WebStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  const hits = async (xff: string, times: number) => {
    const out: number[] = [];
    for (let i = 0; i < times; i++) {
      const res = await fetch(`${stack!.origin}/chat/api/messages?after=0`, { headers: { 'x-forwarded-for': xff.replaceAll('{i}', String(i)) } });
      out.push(res.status);
      if (res.status === 429) expect(((await res.json()) as { message: string }).message).toBe('来自您网络的请求过多，请稍后再试。');
      else await res.body?.cancel();
    }
    return out;
  };

  it('one proxy: a client writing a new first entry each time is still limited, and cannot get another address refused', async () => {
    stack = await createWebStack({ WEB_CHAT_TRUST_PROXY: 'true', WEB_CHAT_IP_PER_MINUTE: '3' });
    // As nginx forwards it: the client's own header, then the address nginx saw (203.0.113.8).
    expect(await hits('10.9.{i}.1, 203.0.113.8', 5)).toEqual([401, 401, 401, 429, 429]);
    // 203.0.113.9 names a school's NAT address first: only 203.0.113.9 is counted and refused …
    expect(await hits('198.51.100.20, 203.0.113.9', 4)).toEqual([401, 401, 401, 429]);
    // … and the parents behind 198.51.100.20 are still served.
    expect(await hits('198.51.100.20', 1)).toEqual([401]);
  });

  it('two proxies (WEB_CHAT_TRUSTED_PROXIES=2, a CDN in front of nginx): the client is the CDN\'s entry', async () => {
    stack = await createWebStack({ WEB_CHAT_TRUST_PROXY: 'true', WEB_CHAT_TRUSTED_PROXIES: '2', WEB_CHAT_IP_PER_MINUTE: '2' });
    // client-written, the client as the CDN saw it, the CDN node as nginx saw it (a different node each time).
    expect(await hits('1.2.3.{i}, 203.0.113.50, 192.0.2.{i}', 3)).toEqual([401, 401, 429]);
    expect(await hits('203.0.113.51, 192.0.2.9', 1)).toEqual([401]);
  });

  it('without WEB_CHAT_TRUST_PROXY the header is ignored: every request counts for the socket address', async () => {
    stack = await createWebStack({ WEB_CHAT_IP_PER_MINUTE: '2' });
    expect(await hits('10.0.0.{i}', 3)).toEqual([401, 401, 429]);
  });
});
