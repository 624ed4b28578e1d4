// Markdown cells as HTML for the exported page, with markdown-it (CommonMark, well kept,
// used by VS Code itself). Raw HTML in a cell is shown as text (html: false): a shared
// notebook can add no markup or script to the page. Images are kept only when they are
// inline data (a pasted or attached image); a remote image becomes a link, because the page
// loads nothing from the network.
import markdownIt, { type MarkdownIt } from 'markdown-it';
import { highlightCode } from './codeHighlight';
import { escapeHtml } from './htmlEscape';
import { mathPlugin } from './mathRule';

const INLINE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

function createRenderer(): MarkdownIt {
  const md = markdownIt({
    html: false,
    linkify: true,
    highlight: (code, language) => `<pre class="code"><code>${highlightCode(code, language)}</code></pre>`,
  });
  md.use(mathPlugin);
  md.renderer.rules.image = (tokens, i, options, env, self) => {
    const token = tokens[i];
    const src = String(token.attrGet('src') ?? '');
    const alt = String(self.renderInlineAsText(token.children ?? [], options, env));
    if (INLINE_IMAGE.test(src)) return `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`;
    return `<a href="${escapeHtml(src)}" class="remote-image" title="image not embedded">[image: ${escapeHtml(alt || src)}]</a>`;
  };
  const renderLinkOpen =
    md.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
  md.renderer.rules.link_open = (tokens, i, options, env, self) => {
    tokens[i].attrSet('rel', 'noopener noreferrer');
    return renderLinkOpen(tokens, i, options, env, self);
  };
  return md;
}

let renderer: MarkdownIt | undefined;

export function markdownToHtml(source: string): string {
  renderer ??= createRenderer();
  return renderer.render(source);
}
