/**
 * An English opening of a 政府信息公开申请 ("I want to apply for government information disclosure …", "Open government
 * information request: …"): the words that name the request, not the information asked for. What follows them is
 * the description (所需信息); an opening alone leaves the description to be asked for. The Chinese openings are
 * handled by filing.ts's hasSubstance, which keeps the whole message (a Chinese opening reads as part of it).
 */
const NAMED_REQUEST = String.raw`(?:an?\s+|the\s+|my\s+)?(?:(?:open|public)\s+)?(?:government\s+)?information(?:\s+(?:disclosure|release))?(?:\s+(?:request|application))?`;
const ASKING = String.raw`(?:i|we)(?:'d|\s+(?:would|do|really|hereby|also))?(?:\s+(?:like|want|wish|need|am\s+writing|'m\s+writing|intend|hope))?(?:\s+to)?\s+`;
const OPENINGS = [
  // "I want to apply for government information disclosure", "I'd like to make an open government information request"
  new RegExp(String.raw`^${ASKING}(?:apply\s+for|request|make|submit|file|lodge|send|put\s+in)\s+${NAMED_REQUEST}`, 'iu'),
  // "I want to request the disclosure of …", "we ask for the release of …"
  new RegExp(String.raw`^${ASKING}(?:request|ask\s+for|apply\s+for)\s+(?:the\s+)?(?:disclosure|release)(?=\s+of\b)`, 'iu'),
  // "Open government information request: …", "Government information disclosure application", "FOI request"
  /^(?:an?\s+)?(?:(?:open|public)\s+government\s+information|government\s+information(?:\s+disclosure)?|information\s+disclosure|foi|freedom\s+of\s+information)\s+(?:request|application)\b/iu,
];
/** What joins the opening to the information: "… of the 2026 plan", "…: the contract", "… for the bus contract". */
const JOIN = /^[\s:：,，.\-–—]*(?:(?:of|for|about|on|regarding|concerning|covering)\s+)?/iu;
/** Courtesy around it, not the information: "please", "thanks", "thank you". */
const COURTESY = /^(?:please|thanks|thank\s+you)[\s,.!]*|[\s,.!]*(?:please|thanks|thank\s+you)?[\s,.!]*$/giu;

/**
 * For an English disclosure opening: the text after it (possibly ''), without joining words or courtesy; null when
 * the message does not open with one.
 */
export function afterEnglishDisclosureOpening(text: string): string | null {
  const said = text.trim().normalize('NFKC');
  for (const opening of OPENINGS) {
    const found = opening.exec(said);
    if (found) return said.slice(found[0].length).replace(JOIN, '').replace(COURTESY, '').trim();
  }
  return null;
}
