import { maskPersonalData } from '../privacy/mask.js';
import { DEFAULT_THRESHOLD } from './group.js';
import { dice, grams, questionText } from './similarity.js';

/**
 * For "删除我的数据": which wordings stored with gap marks (gap_groups.samples, written by group.ts as the
 * masked questionText of a message) came from the erased chat's `texts`. The engine's normaliser (traditional →
 * simplified, typos) may have shaped a stored wording, and it is not at hand here, so a wording goes when it
 * is the default form of one of the texts or when the gaps list would group it with one (DEFAULT_THRESHOLD):
 * erring towards forgetting costs a mark one of its example wordings, never the mark.
 */
export function sampleOfTexts(texts: readonly string[]): (sample: string) => boolean {
  const forms = texts.map((t) => maskPersonalData(questionText(t)));
  const formGrams = forms.map(grams);
  return (sample) => {
    if (forms.includes(sample)) return true;
    const g = grams(sample);
    return formGrams.some((f) => dice(f, g) >= DEFAULT_THRESHOLD);
  };
}
