import type { StubCall } from './slack-stub.js';

/** The action ids of the buttons on a posted or updated case message. */
export const buttonsOf = (call: StubCall): string[] =>
  (call.body.blocks as { type: string; elements?: { action_id?: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? ''));

/** The context lines (pending 补正, running consultation) of a case message, one per line. */
export const contextOf = (call: StubCall): string =>
  (call.body.blocks as { type: string; elements?: { text?: string }[] }[])
    .filter((b) => b.type === 'context')
    .flatMap((b) => (b.elements ?? []).map((e) => e.text ?? ''))
    .join('\n');
