// Export and import of notebooks: .dlnb -> .ipynb, HTML or Markdown, and .ipynb -> .dlnb.
// VS Code-free: `dlnb export`/`dlnb import` use it directly, and the extension loads it from
// its own bundle (dist/export.js) only when an export or import command runs, so Markdown,
// math, highlighting and Vega stay off the extension's activation path.
import * as path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { serializeNotebook, type DlnbNotebook } from '../shared/dlnbFormat';
import { writeNotebookFileAtomic } from '../shared/notebookFile';
import { svgToPng } from './chartPng';
import { chartToSvg } from './chartSvg';
import { fromIpynbText } from './fromIpynb';
import { toHtml } from './toHtml';
import { toIpynb } from './toIpynb';
import { toMarkdown } from './toMarkdown';

export { ConvertError } from './ipynbTypes';

export const EXPORT_FORMATS = {
  ipynb: { extension: '.ipynb', label: 'Jupyter Notebook (.ipynb)' },
  html: { extension: '.html', label: 'HTML page (.html)' },
  md: { extension: '.md', label: 'Markdown (.md), charts as SVG files beside it' },
} as const;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

export function isExportFormat(value: string): value is ExportFormat {
  return Object.hasOwn(EXPORT_FORMATS, value);
}

/** `lesson.dlnb` -> `lesson.html` beside it. */
export function defaultExportPath(notebookPath: string, format: ExportFormat): string {
  const parsed = path.parse(notebookPath);
  return path.join(parsed.dir, parsed.name + EXPORT_FORMATS[format].extension);
}

export interface ExportResult {
  /** The paths written: the export itself first. */
  files: string[];
  /** What the export could not include (a chart Vega cannot draw offline, say). */
  warnings: string[];
}

/**
 * Converts and writes the export to `target`. The main file is written whole or not at all
 * (a temporary file renamed over it); Markdown's charts go to a folder `NAME_files` beside it.
 */
export async function exportNotebook(notebook: DlnbNotebook, format: ExportFormat, target: string): Promise<ExportResult> {
  const warnings: string[] = [];
  const renderSvg = (spec: object) => chartToSvg(spec);
  if (format === 'ipynb') {
    // Each chart: its Vega-Lite spec (JupyterLab), SVG (nbviewer, VS Code) and PNG (any viewer).
    const ipynb = await toIpynb(
      notebook,
      async (spec) => {
        const svg = await chartToSvg(spec);
        return { 'image/svg+xml': svg, 'image/png': Buffer.from(await svgToPng(svg)).toString('base64') };
      },
      (cell, error) => warnings.push(`A chart in cell ${cell} was not drawn (its Vega-Lite spec is kept): ${error.message}`),
    );
    await writeNotebookFileAtomic(target, JSON.stringify(ipynb, null, 1) + '\n');
    return { files: [target], warnings };
  }
  const drawOrNote = async (spec: object) => {
    try {
      return await renderSvg(spec);
    } catch (error) {
      warnings.push(`A chart was not drawn: ${(error as Error).message}`);
      throw error;
    }
  };
  if (format === 'html') {
    await writeNotebookFileAtomic(target, await toHtml(notebook, { title: path.parse(target).name, renderSvg: drawOrNote }));
    return { files: [target], warnings };
  }
  const assetsDir = `${path.parse(target).name}_files`;
  const { text, assets } = await toMarkdown(notebook, { assetsDir, renderSvg: drawOrNote });
  const files = [target];
  for (const asset of assets) {
    const file = path.join(path.dirname(target), asset.path);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, asset.data);
    files.push(file);
  }
  await writeNotebookFileAtomic(target, text);
  return { files, warnings };
}

/** .ipynb text -> .dlnb text; throws a ConvertError naming what is wrong. */
export function importIpynb(text: string): string {
  return serializeNotebook(fromIpynbText(text));
}

export function importIpynbNotebook(text: string): DlnbNotebook {
  return fromIpynbText(text);
}
