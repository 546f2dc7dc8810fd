import { maskPersonalData } from '../../core/privacy/mask.js';

/** Slack mrkdwn control characters: only these three (api.slack.com formatting reference). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Citizen text for a staff-channel post: personal numbers masked, then escaped so `<!channel>` cannot ping. */
export function citizenText(text: string, max = 2900): string {
  return escapeMrkdwn(truncate(maskPersonalData(text), max));
}

/** Cut to `max` characters (code points) with an ellipsis; Block Kit counts characters. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** YYYY-MM-DD of `now` in `timeZone`. */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** "2026-11-28 09:30" in `timeZone`, for staff-facing times. */
export function localDateTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
