// .dlnb -> one self-contained HTML page, like nbconvert's: rendered markdown (math drawn at
// export time), highlighted code, text outputs, errors and charts as inline SVG, light and
// dark. It runs no script and loads nothing: its Content-Security-Policy forbids both, and
// every piece of notebook text is escaped (./htmlEscape.ts, ./markdownHtml.ts), so a page
// made from anyone's notebook is safe to open.
import type { DlnbCell, DlnbNotebook, DlnbOutput } from '../shared/dlnbFormat';
import { highlightCode } from './codeHighlight';
import { escapeHtml } from './htmlEscape';
import { PAGE_STYLE } from './htmlStyle';
import { markdownToHtml } from './markdownHtml';
import { outputPart } from './outputParts';

/** Draws a chart as SVG markup; may throw (a spec Vega cannot draw). */
export type SvgRenderer = (spec: object) => Promise<string>;

export const PAGE_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

export async function toHtml(notebook: DlnbNotebook, options: { title: string; renderSvg: SvgRenderer }): Promise<string> {
  const cells: string[] = [];
  for (const [index, cell] of notebook.cells.entries()) cells.push(await cellHtml(cell, index, options.renderSvg));
  const title = typeof notebook.metadata.title === 'string' ? notebook.metadata.title : options.title;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="dlnb">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${cells.join('\n')}
</main>
</body>
</html>
`;
}

async function cellHtml(cell: DlnbCell, index: number, renderSvg: SvgRenderer): Promise<string> {
  if (cell.kind === 'markdown')
    return `<section class="cell markdown" id="cell-${index + 1}">\n${markdownToHtml(cell.source)}</section>`;
  const language = cell.language ?? 'typescript';
  const order = cell.execution?.order;
  const outputs: string[] = [];
  for (const output of cell.outputs ?? []) outputs.push(await outputHtml(output, renderSvg));
  return [
    `<section class="cell code" id="cell-${index + 1}">`,
    `<div class="prompt">[${order ?? ' '}]</div>`,
    `<pre class="code"><code class="language-${escapeHtml(language)}">${highlightCode(cell.source, language)}</code></pre>`,
    ...outputs,
    '</section>',
  ].join('\n');
}

async function outputHtml(output: DlnbOutput, renderSvg: SvgRenderer): Promise<string> {
  const part = outputPart(output);
  switch (part.kind) {
    case 'chart':
      try {
        return `<figure class="chart">${await renderSvg(part.spec)}</figure>`;
      } catch (error) {
        return `<p class="note">[chart not drawn: ${escapeHtml((error as Error).message)}]</p>`;
      }
    case 'error':
      return `<pre class="error">${escapeHtml(part.text)}</pre>`;
    case 'stream':
      return `<pre class="output ${part.name}">${escapeHtml(part.text)}</pre>`;
    case 'image':
      return `<img class="output" alt="output image" src="data:${part.mime};base64,${part.base64}">`;
    case 'markdown':
      return `<div class="output markdown">${markdownToHtml(part.text)}</div>`;
    case 'text':
      return `<pre class="output">${escapeHtml(part.text)}</pre>`;
    case 'unshown':
      return `<p class="note">[output not shown here: ${escapeHtml(part.mimes.join(', '))}]</p>`;
  }
}
