// Escaping for exported HTML. Every piece of notebook text goes through here (or through
// markdown-it with raw HTML off, or highlight.js, which escape the same way), so nothing
// a notebook holds can become markup in the page.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Terminal colour codes in text outputs, which a page cannot show. */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}
