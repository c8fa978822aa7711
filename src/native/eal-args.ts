/**
 * Splitting of `--dpdk-args "EAL ARGS"` into an argv, the way a POSIX shell splits words:
 * whitespace separates, single quotes keep everything literal, double quotes keep whitespace and
 * honour backslash escapes of `"`, `\` and `$`, a backslash outside quotes escapes the next character.
 */
import { DpdkError } from './errors';

const EINVAL = 22;

/** @throws DpdkError (EINVAL, operation "dpdk-args") for an unterminated quote or a trailing backslash */
export function splitEalArgs(text: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$'.includes(text[i + 1])) word += text[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new DpdkError(`EAL arguments end with a backslash: ${text}`, EINVAL, 'dpdk-args');
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new DpdkError(`EAL arguments have an unterminated ${quote} quote: ${text}`, EINVAL, 'dpdk-args');
  if (inWord) out.push(word);
  return out;
}
