import type { WebStack } from './web-chat-harness.js';

export interface WebMessage {
  id: number;
  role: string;
  text: string;
  buttons?: { label: string; ref: string }[][];
}

/**
 * A parent's browser on the web chat's real routes: keeps the cookie, sends text or a button's ref as the page does,
 * and gives back what the bot said in that turn. `history()` is what the page shows when it is opened again.
 */
export function webParent(stack: WebStack) {
  let cookie = '';
  let cookieMaxAge: number | null = null;
  let last: WebMessage[] = [];
  let lastId = 0;
  const keep = (res: Response) => {
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    const maxAge = set ? /Max-Age=(\d+)/.exec(set) : null;
    if (maxAge) cookieMaxAge = Number(maxAge[1]);
  };
  const post = async (body: Record<string, unknown>): Promise<string> => {
    const res = await fetch(`${stack.origin}/chat/api/messages`, {
      method: 'POST',
      headers: { origin: stack.origin, 'content-type': 'application/json', cookie },
      // As the page does: only the messages after the last one it shows come back.
      body: JSON.stringify({ after: lastId, ...body }),
    });
    keep(res);
    const messages = ((await res.json()) as { messages?: WebMessage[] }).messages ?? [];
    for (const m of messages) lastId = Math.max(lastId, m.id);
    last = messages.filter((m) => m.role === 'bot');
    return last.map((m) => m.text).join('\n');
  };
  return {
    get cookie() {
      return cookie;
    },
    /** Max-Age (seconds) of the cookie the server set last: how long the browser keeps it. */
    get cookieMaxAge() {
      return cookieMaxAge;
    },
    /** Buttons of the bot's messages in the last turn, by label. */
    labels: () => last.flatMap((m) => m.buttons ?? []).flat().map((b) => b.label),
    say: (text: string) => post({ text }),
    press(label: string | RegExp): Promise<string> {
      const button = last.flatMap((m) => m.buttons ?? []).flat().find((b) => (typeof label === 'string' ? b.label === label : label.test(b.label)));
      if (!button) throw new Error(`no button "${String(label)}" among ${JSON.stringify(this.labels())}`);
      return post({ button: button.ref });
    },
    async history(): Promise<string[]> {
      const res = await fetch(`${stack.origin}/chat/api/messages?after=0`, { headers: { cookie } });
      keep(res);
      return (((await res.json()) as { messages?: WebMessage[] }).messages ?? []).map((m) => m.text);
    },
    /** Files a complaint through the chat (no phone) and returns its code. */
    async fileComplaint(text: string): Promise<string> {
      await post({ text });
      await this.press('不留电话');
      const filed = await this.press('确认提交');
      const code = /XH-\d{4}-\d{6}/.exec(filed)?.[0];
      if (!code) throw new Error(`not filed: ${filed}`);
      return code;
    },
  };
}
