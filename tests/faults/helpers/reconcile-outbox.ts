import { renderReply } from '../../../src/channels/telegram/render.js';
import type { Reply } from '../../../src/core/types.js';
import type { Db } from '../../../src/storage/db.js';

/**
 * Every 'telegram' outbox row rendered into its parts, per chat in row order, compared with what
 * a Bot API stand-in received (`delivered`: chat id → texts in arrival order). `lost` counts
 * parts never received, `duplicated` parts received more often than queued, `outOfOrder` chats
 * whose sequence differs; `firstPart` maps a row's dedupe key to its first part (reply latency).
 */
export async function reconcileTelegramOutbox(
  db: Db,
  delivered: Map<string, { text: string }[]>,
): Promise<{ lost: number; duplicated: number; outOfOrder: number; firstPart: Map<string, string> }> {
  const rows = await db.all<{ address: string; payload: string; dedupe_key: string | null }>(
    "SELECT address, payload, dedupe_key FROM outbox WHERE target = 'telegram' ORDER BY id",
  );
  const expected = new Map<string, string[]>();
  const firstPart = new Map<string, string>();
  for (const row of rows) {
    const parts = (JSON.parse(row.payload) as Reply[]).flatMap((r) => renderReply(r, 'zh')).map((p) => p.html);
    expected.set(row.address, [...(expected.get(row.address) ?? []), ...parts]);
    if (row.dedupe_key && parts[0]) firstPart.set(row.dedupe_key, parts[0]);
  }
  let lost = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  for (const chat of new Set([...expected.keys(), ...delivered.keys()])) {
    const want = expected.get(chat) ?? [];
    const got = (delivered.get(chat) ?? []).map((d) => d.text);
    const counts = new Map<string, number>();
    for (const t of want) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const t of got) counts.set(t, (counts.get(t) ?? 0) - 1);
    for (const n of counts.values()) {
      if (n > 0) lost += n;
      else duplicated -= n;
    }
    if (got.join('\u0000') !== want.join('\u0000')) outOfOrder += 1;
  }
  return { lost, duplicated, outOfOrder, firstPart };
}
