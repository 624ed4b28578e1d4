// A Markdown code fence that cannot be closed early by the code inside it: one backtick
// longer than the longest run of backticks in the code (CommonMark's rule).

export function fenced(code: string, language = ''): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code}${code.endsWith('\n') || code === '' ? '' : '\n'}${fence}`;
}
