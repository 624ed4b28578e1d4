// Math in exported Markdown cells, rendered once, at export time, by KaTeX: `$...$` and
// `\(...\)` inline, `$$...$$` and `\[...\]` as display blocks (the delimiters VS Code's
// notebook and Jupyter both read). KaTeX writes MathML, which browsers draw with no
// stylesheet, font or script, so the exported page stays one small self-contained file.
// Rules run before markdown-it's own escapes, which would otherwise eat `\(`.
import katex from 'katex';
import type { MarkdownIt, StateBlock, StateInline } from 'markdown-it';

export function renderMath(tex: string, displayMode: boolean): string {
  // throwOnError false: a typo shows as red source text, not a failed export. trust false
  // (KaTeX's default) keeps \href, \url and \htmlClass out.
  return katex.renderToString(tex, { displayMode, output: 'mathml', throwOnError: false, trust: false, strict: 'ignore' });
}

export function mathPlugin(md: MarkdownIt): void {
  md.inline.ruler.before('escape', 'math_inline', mathInline);
  md.block.ruler.before('fence', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.renderer.rules.math_inline = (tokens, i) => renderMath(tokens[i].content, false);
  md.renderer.rules.math_display = (tokens, i) => `<div class="math">${renderMath(tokens[i].content, true)}</div>\n`;
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  let open: string;
  let close: string;
  if (src.startsWith('\\(', pos)) [open, close] = ['\\(', '\\)'];
  else if (src.startsWith('$$', pos)) [open, close] = ['$$', '$$'];
  else if (src[pos] === '$') [open, close] = ['$', '$'];
  else return false;
  const start = pos + open.length;
  let end = src.indexOf(close, start);
  // `$5 and $6` is money, not math: TeX after `$` may not start or end with a space, nor
  // may a closing `$` stand right before a digit.
  if (open === '$') {
    if (/\s/.test(src[start] ?? ' ')) return false;
    while (end !== -1 && (/\s/.test(src[end - 1]) || src[end - 1] === '\\' || /\d/.test(src[end + 1] ?? '')))
      end = src.indexOf('$', end + 1);
  }
  if (end === -1 || end === start || end > state.posMax) return false;
  if (!silent) {
    const token = state.push(open === '$$' ? 'math_display' : 'math_inline', 'math', 0);
    token.content = src.slice(start, end);
    token.markup = open;
  }
  state.pos = end + close.length;
  return true;
}

function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const lineText = (line: number) => state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const first = lineText(startLine);
  const open = first.startsWith('$$') ? '$$' : first.startsWith('\\[') ? '\\[' : undefined;
  if (!open) return false;
  const close = open === '$$' ? '$$' : '\\]';
  let body = first.slice(open.length);
  let line = startLine;
  let closed = body.trimEnd().endsWith(close);
  if (closed) body = body.trimEnd().slice(0, -close.length);
  while (!closed && ++line < endLine) {
    const text = lineText(line);
    if (text.trimEnd().endsWith(close)) {
      body += '\n' + text.trimEnd().slice(0, -close.length);
      closed = true;
    } else {
      body += '\n' + text;
    }
  }
  // A display block must close on its own line and leave nothing after the delimiter.
  if (!closed) return false;
  if (silent) return true;
  const token = state.push('math_display', 'math', 0);
  token.block = true;
  token.content = body.trim();
  token.map = [startLine, line + 1];
  token.markup = open;
  state.line = line + 1;
  return true;
}
