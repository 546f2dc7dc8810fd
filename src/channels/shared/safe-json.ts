/** JSON.parse for text from outside (an outbox payload, a NOTIFY from another instance): null when it is not JSON. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
