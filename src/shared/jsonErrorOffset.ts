// Where JSON text first goes wrong, as an offset into the text. Node 20's JSON.parse names
// the bad token but not its position for most errors ("Unexpected token h, "this is..." is
// not valid JSON"), so a user told "line 1" of a 5 MB notebook could not find the mistake.
// This scanner follows the JSON grammar (RFC 8259) without building values, and is only
// run after JSON.parse has already failed. Iterative, so deep nesting cannot overflow it.

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const LITERALS: Record<string, string> = { t: 'true', f: 'false', n: 'null' };

/** The offset of the first character that makes `text` invalid JSON, or undefined when it is valid. */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && WHITESPACE.has(text.charCodeAt(i))) i++;
  };
  /** Containers still open: '{' or '['. */
  const open: string[] = [];

  /** Reads one string at `i` (on its opening quote); the error offset, or undefined. */
  const readString = (): number | undefined => {
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return undefined;
      }
      if (text.charCodeAt(i) < 0x20) return i;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return i + 1;
          i += 6;
        } else if (next !== undefined && ESCAPES.has(next)) i += 2;
        else return i + 1;
      } else i++;
    }
    return i;
  };

  /** Reads a value that is not a container; the error offset, or undefined. */
  /** An object's `"key":` and the space after it; the offset of what is wrong, if anything. */
  const readKey = (): number | undefined => {
    if (text[i] !== '"') return i;
    const bad = readString();
    if (bad !== undefined) return bad;
    skipSpace();
    if (text[i] !== ':') return i;
    i++;
    skipSpace();
    return undefined;
  };
  const readScalar = (): number | undefined => {
    if (text[i] === '"') return readString();
    for (const pattern of [NUMBER, LITERAL]) {
      pattern.lastIndex = i;
      const match = pattern.exec(text);
      if (match && match[0].length > 0) {
        const end = i + match[0].length;
        // "1." or "01": the number stops early, and the next character is the mistake.
        if (pattern === NUMBER && /[0-9.eE+-]/.test(text[end] ?? '')) return end;
        i = end;
        return undefined;
      }
    }
    // A literal cut short ("tru") is wrong where it stops matching.
    const literal = LITERALS[text[i]];
    if (literal) {
      let k = 0;
      while (k < literal.length && text[i + k] === literal[k]) k++;
      return i + k;
    }
    if (text[i] === '-') return i + 1;
    return i;
  };

  skipSpace();
  for (;;) {
    // Expecting a value.
    if (i >= text.length) return i;
    const c = text[i];
    if (c === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') i++;
      else {
        open.push('{');
        const bad = readKey();
        if (bad !== undefined) return bad;
        continue;
      }
    } else if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') i++;
      else {
        open.push('[');
        continue;
      }
    } else {
      const bad = readScalar();
      if (bad !== undefined) return bad;
    }
    // After a value: a comma, a closing bracket, or the end.
    for (;;) {
      skipSpace();
      const container = open.at(-1);
      if (container === undefined) return i < text.length ? i : undefined;
      const d = text[i];
      if (d === ',') {
        i++;
        skipSpace();
        if (container === '{') {
          const bad = readKey();
          if (bad !== undefined) return bad;
        }
        break;
      }
      if ((container === '{' && d === '}') || (container === '[' && d === ']')) {
        open.pop();
        i++;
        continue;
      }
      return i;
    }
  }
}
