import { fileURLToPath } from 'node:url';
import { precompileJiebaTable } from './jieba-dictionary.js';
import { precompileIdfTable } from './term-weights.js';

/**
 * `npm run build` runs this after compiling: jieba's dictionary and IDF list are turned into the binary
 * tables a start reads without parsing (binary-cache.ts). Without them (a build that did not run, a
 * changed dict.txt) the bot parses the text files as before, ~0.7 s slower to start.
 */
export function precompile(): string[] {
  return [precompileJiebaTable(), precompileIdfTable()];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  precompile();
}
