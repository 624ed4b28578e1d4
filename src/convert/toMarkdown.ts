// .dlnb -> Markdown, for a README, a blog post or a forum: markdown cells as they are,
// code fenced in its language, text outputs fenced as `text`, errors too, and each chart
// (or image) as a file in a folder beside the Markdown file, linked by a relative path.
import type { DlnbNotebook, DlnbOutput } from '../shared/dlnbFormat';
import { fenced, markdownEscapeAlt } from './markdownText';
import { outputPart } from './outputParts';
import type { SvgRenderer } from './toHtml';

export interface MarkdownExport {
  text: string;
  /** Files to write beside the Markdown, by path relative to it (`NAME_files/cell-3-1.svg`). */
  assets: Array<{ path: string; data: string | Uint8Array }>;
}

const IMAGE_EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
};

export async function toMarkdown(
  notebook: DlnbNotebook,
  options: { assetsDir: string; renderSvg: SvgRenderer },
): Promise<MarkdownExport> {
  const blocks: string[] = [];
  const assets: MarkdownExport['assets'] = [];
  for (const [index, cell] of notebook.cells.entries()) {
    if (cell.kind === 'markdown') {
      blocks.push(cell.source.trimEnd());
      continue;
    }
    blocks.push(fenced(cell.source, cell.language ?? 'typescript'));
    for (const [k, output] of (cell.outputs ?? []).entries()) {
      const name = `cell-${index + 1}-${k + 1}`;
      blocks.push(await outputMarkdown(output, name, options, assets));
    }
  }
  return { text: blocks.filter(Boolean).join('\n\n') + '\n', assets };
}

async function outputMarkdown(
  output: DlnbOutput,
  name: string,
  options: { assetsDir: string; renderSvg: SvgRenderer },
  assets: MarkdownExport['assets'],
): Promise<string> {
  const part = outputPart(output);
  const link = (file: string, alt: string) => `![${markdownEscapeAlt(alt)}](${encodeURI(`${options.assetsDir}/${file}`)})`;
  switch (part.kind) {
    case 'chart': {
      try {
        const svg = await options.renderSvg(part.spec);
        assets.push({ path: `${options.assetsDir}/${name}.svg`, data: svg });
        return link(`${name}.svg`, chartTitle(part.spec) ?? 'chart');
      } catch (error) {
        return `*[chart not drawn: ${markdownEscapeAlt((error as Error).message)}]*`;
      }
    }
    case 'image': {
      const file = `${name}.${IMAGE_EXTENSIONS[part.mime] ?? 'bin'}`;
      assets.push({ path: `${options.assetsDir}/${file}`, data: Buffer.from(part.base64, 'base64') });
      return link(file, 'output image');
    }
    case 'error':
    case 'stream':
    case 'text':
      return fenced(part.text.replace(/\n$/, ''), 'text');
    case 'markdown':
      return part.text.trimEnd();
    case 'unshown':
      return `*[output not shown here: ${part.mimes.join(', ')}]*`;
  }
}

function chartTitle(spec: object): string | undefined {
  const title = (spec as { title?: unknown }).title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && typeof (title as { text?: unknown }).text === 'string')
    return (title as { text: string }).text;
  return undefined;
}
