import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchTree, type TreeWatcher } from '../../src/knowledge/watch-tree.js';

/** The knowledge folder watcher: changes anywhere under the folder, including folders made later, are reported. */
let watcher: TreeWatcher | undefined;
afterEach(() => watcher?.close());

function start(dir: string) {
  const onChange = vi.fn();
  const onError = vi.fn();
  watcher = watchTree(dir, onChange, onError);
  return { onChange, onError };
}

describe('watchTree', () => {
  it('reports files written, added, renamed and removed in the folder and its sub-folders, and nothing at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-watch-'));
    mkdirSync(join(dir, 'enrollment', 'primary'), { recursive: true });
    writeFileSync(join(dir, 'enrollment', 'primary', 'age.md'), '旧内容');
    const { onChange, onError } = start(dir);
    await watcher!.ready;
    expect(onChange).not.toHaveBeenCalled();

    const steps: (() => void)[] = [
      () => writeFileSync(join(dir, 'enrollment', 'primary', 'age.md'), '新内容：8月31日'),
      () => writeFileSync(join(dir, 'contact.md'), '联系电话'),
      () => renameSync(join(dir, 'contact.md'), join(dir, 'enrollment', 'contact.md')),
      () => rmSync(join(dir, 'enrollment', 'contact.md')),
    ];
    for (const step of steps) {
      const before = onChange.mock.calls.length;
      step();
      await vi.waitFor(() => expect(onChange.mock.calls.length).toBeGreaterThan(before), { timeout: 5000, interval: 20 });
    }
    expect(onError).not.toHaveBeenCalled();
  });

  it('watches a folder created after it started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-watch-'));
    const { onChange } = start(dir);
    await watcher!.ready;
    mkdirSync(join(dir, 'service-guides'));
    await vi.waitFor(() => expect(onChange).toHaveBeenCalled(), { timeout: 5000, interval: 20 });
    // Once the new folder is watched (the extra change report after it was added), a write inside it is seen.
    await vi.waitFor(() => expect(onChange.mock.calls.length).toBeGreaterThanOrEqual(2), { timeout: 5000, interval: 20 });
    const before = onChange.mock.calls.length;
    writeFileSync(join(dir, 'service-guides', 'transfer.md'), '转学办理');
    await vi.waitFor(() => expect(onChange.mock.calls.length).toBeGreaterThan(before), { timeout: 5000, interval: 20 });
  });

  it('stops reporting once closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-watch-'));
    const { onChange } = start(dir);
    await watcher!.ready;
    watcher!.close();
    writeFileSync(join(dir, 'late.md'), '关闭之后');
    // A watcher that is still open reports a write within milliseconds; give a closed one the same chance.
    const probe = mkdtempSync(join(tmpdir(), 'civicdesk-watch-'));
    const seen = vi.fn();
    const open = watchTree(probe, seen, () => {});
    await open.ready;
    writeFileSync(join(probe, 'x.md'), '对照');
    await vi.waitFor(() => expect(seen).toHaveBeenCalled(), { timeout: 5000, interval: 20 });
    open.close();
    expect(onChange).not.toHaveBeenCalled();
  });
});
