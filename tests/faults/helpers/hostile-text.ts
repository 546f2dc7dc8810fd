import fc from 'fast-check';

/** Fragments that break naive HTML / Slack mrkdwn / SQL handling, mixed with Chinese. */
export const HOSTILE_FRAGMENTS = [
  '<a href="https://evil.example/x">点这里</a>',
  '<b>加粗</b>',
  '<!channel>',
  '<!here>',
  '<@U123ABC>',
  '<#C123|general>',
  '*粗体* _斜体_ ~删除~ `代码`',
  "'; DROP TABLE cases;--",
  '" OR 1=1 --',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&amp;&lt;&gt;&quot;',
  '<script>alert("x")</script>',
  '${process.env}',
  '%s%n%d',
  '\\u0000\\n',
];

/** Control, zero-width, bidi and other invisible characters. */
export const INVISIBLES = [
  '\u0000', '\u0001', '\u0007', '\u0008', '\u001b', '\u007f', '\u0085', '\t', '\r\n', '\n', '\u000b', '\u000c',
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad',
  '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069',
  '\u2028', '\u2029', '\u3000',
];

export const RTL_SAMPLES = ['مرحبا بالعالم', 'שלום עולם', 'سلام دنیا', 'ܫܠܡܐ'];
export const EMOJI_SAMPLES = ['👨‍👩‍👧‍👦', '🏳️‍🌈', '👍🏽', '🇨🇳', '🧑🏻‍🏫', '1️⃣', '😀'];
const CHINESE = ['我孩子今年九月上一年级', '学校乱收费', '彩屯小学', '请问', '身份证', '谢谢'];

/** One hostile piece: any code point string, graphemes, a fragment, an invisible, RTL, emoji or Chinese. */
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) },
  { weight: 2, arbitrary: fc.constantFrom(...INVISIBLES) },
  { weight: 1, arbitrary: fc.constantFrom(...RTL_SAMPLES) },
  { weight: 1, arbitrary: fc.constantFrom(...EMOJI_SAMPLES) },
  { weight: 2, arbitrary: fc.constantFrom(...CHINESE) },
);

/** A message of up to ~12 hostile pieces. */
export const hostileText = fc.array(piece, { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));

/** A huge message: ≥ 10,000 UTF-16 units made of hostile pieces. */
export const hugeText = fc
  .tuple(hostileText, fc.integer({ min: 10_000, max: 30_000 }))
  .map(([seed, length]) => {
    const unit = seed.length > 0 ? seed : '很长的投诉';
    return unit.repeat(Math.ceil(length / unit.length));
  });
