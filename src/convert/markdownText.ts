// Markdown the converters write around notebook text: a code fence that the code inside
// cannot close early (one backtick longer than its longest run of backticks, CommonMark's
// rule), and text placed inside Markdown syntax (an image's alt text, a note) with
// brackets and backslashes escaped and newlines folded, so it cannot end the construct.

export function fenced(code: string, language = ''): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code}${code.endsWith('\n') || code === '' ? '' : '\n'}${fence}`;
}

export function markdownEscapeAlt(text: string): string {
  return text
    .replace(/[\\[\]*_`<>]/g, (c) => `\\${c}`)
    .replace(/\s+/g, ' ')
    .trim();
}
