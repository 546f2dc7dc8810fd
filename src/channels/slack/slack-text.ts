/**
 * A message's text as the person typed it, from Slack's wire format (api.slack.com "Formatting text for app
 * surfaces"): Slack sends `<`, `>` and `&` as entities and wraps links, mentions and special words in angle brackets.
 * Stored as it came, a staff note showed back in `/case CODE`, exports and the CLI as "&lt;学校&gt; … &amp; …" and
 * "<https://…&amp;c=2>".
 * - `<https://x|label>` → "label (https://x)"; `<https://x>` → "https://x"; `<mailto:a@b|a@b>` → "a@b"
 * - `<@U123|name>` → "@name"; `<@U123>` → "@U123" (no users:read scope to look names up)
 * - `<#C123|staff>` → "#staff"; `<!here>` / `<!channel>` / `<!everyone>` → "@here" …; `<!subteam^S1|@team>` → "@team";
 *   `<!date^…|fallback>` → "fallback"
 * - then `&lt;` `&gt;` `&amp;` → `<` `>` `&` (escaping again is the job of whatever shows the text).
 */
export function decodeSlackText(text: string): string {
  const entities = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return text
    .split(/(<[^<>]*>)/)
    .map((part) => {
      if (!part.startsWith('<') || !part.endsWith('>')) return entities(part);
      const [target = '', label] = part.slice(1, -1).split('|', 2).map(entities);
      if (target.startsWith('@')) return `@${label || target.slice(1)}`;
      if (target.startsWith('#')) return `#${label || target.slice(1)}`;
      if (target.startsWith('!')) {
        if (label) return label;
        const word = target.slice(1).split('^')[0] ?? '';
        return `@${word}`;
      }
      if (target.startsWith('mailto:')) return label || target.slice('mailto:'.length);
      return label && label !== target ? `${label} (${target})` : target;
    })
    .join('');
}
