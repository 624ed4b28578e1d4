// Text placed inside Markdown syntax the exporter writes (an image's alt text, a note):
// brackets and backslashes escaped, newlines folded, so it cannot end the construct early.

export function markdownEscapeAlt(text: string): string {
  return text.replace(/[\\[\]*_`<>]/g, (c) => `\\${c}`).replace(/\s+/g, ' ').trim();
}
