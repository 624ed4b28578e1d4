// The exporters and the importer (src/convert) on small notebooks made to test one thing
// each: lossless round trips of unusual cells, Jupyter's output kinds, what HTML does with
// hostile content, and .ipynb files from elsewhere (Python, nbformat 3, broken files).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromIpynb, fromIpynbText } from '../../src/convert/fromIpynb';
import { ConvertError } from '../../src/convert/ipynbTypes';
import { toHtml } from '../../src/convert/toHtml';
import { toIpynb } from '../../src/convert/toIpynb';
import { toMarkdown } from '../../src/convert/toMarkdown';
import { parseNotebook, serializeNotebook, type DlnbNotebook } from '../../src/shared/dlnbFormat';
import { ERROR_MIME, STDERR_MIME, STDOUT_MIME } from '../../src/shared/mimeKinds';

const CHART = 'application/vnd.vegalite.v5+json';
const spec = { mark: 'point', data: { values: [{ x: 1 }] }, encoding: { x: { field: 'x', type: 'quantitative' } } };
const fakeSvg = async () => '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>';

function notebook(cells: DlnbNotebook['cells'], extra: Partial<DlnbNotebook> = {}): DlnbNotebook {
  return { dlnb: 1, metadata: {}, cells, ...extra };
}

async function roundTrip(nb: DlnbNotebook): Promise<string> {
  const ipynb = await toIpynb(nb, async () => ({ 'image/svg+xml': '<svg/>' }));
  return serializeNotebook(fromIpynbText(JSON.stringify(ipynb)));
}

describe('.dlnb -> .ipynb', () => {
  const run = notebook([
    { kind: 'markdown', source: '# Title\n\nText' },
    {
      kind: 'code',
      source: 'console.log("hi");\nplot.vega(spec);\n1 + 1',
      execution: { order: 3, durationMs: 12, success: true },
      outputs: [
        { items: [{ mime: STDOUT_MIME, data: 'hi\nthere\n' }] },
        { items: [{ mime: CHART, data: spec }] },
        { items: [{ mime: 'text/plain', data: '2' }] },
      ],
    },
    {
      kind: 'code',
      source: 'throw new RangeError("bad")',
      execution: { order: 4, durationMs: 1, success: false },
      outputs: [
        { items: [{ mime: STDERR_MIME, data: 'warn\n' }] },
        {
          items: [{ mime: ERROR_MIME, data: { name: 'RangeError', message: 'bad', stack: 'RangeError: bad\n    at cell 3:1' } }],
        },
      ],
    },
  ]);

  it('writes Jupyter output kinds, tslab kernel metadata and chart renderings', async () => {
    const ipynb = await toIpynb(run, async () => ({ 'image/svg+xml': '<svg>a</svg>', 'image/png': 'iVBORw0KGgo=' }));
    assert.equal(ipynb.nbformat, 4);
    assert.equal(ipynb.nbformat_minor, 5);
    assert.deepEqual((ipynb.metadata.kernelspec as Record<string, unknown>).name, 'tslab');
    assert.equal((ipynb.metadata.kernelspec as Record<string, unknown>).language, 'typescript');
    const [markdown, code, failing] = ipynb.cells;
    assert.equal(markdown.cell_type, 'markdown');
    assert.deepEqual(markdown.source, ['# Title\n', '\n', 'Text']);
    assert.equal(code.execution_count, 3);
    assert.deepEqual(code.outputs![0], { output_type: 'stream', name: 'stdout', text: ['hi\n', 'there\n'] });
    const chart = code.outputs![1] as { output_type: string; data: Record<string, unknown> };
    assert.equal(chart.output_type, 'display_data');
    assert.deepEqual(chart.data[CHART], spec, 'the Vega-Lite spec is kept under its MIME type');
    assert.deepEqual(chart.data['image/svg+xml'], ['<svg>a</svg>']);
    assert.equal(chart.data['image/png'], 'iVBORw0KGgo=');
    assert.deepEqual(code.outputs![2], {
      output_type: 'execute_result',
      data: { 'text/plain': ['2'] },
      metadata: {},
      execution_count: 3,
    });
    assert.deepEqual(failing.outputs![1], {
      output_type: 'error',
      ename: 'RangeError',
      evalue: 'bad',
      traceback: ['RangeError: bad', '    at cell 3:1'],
    });
    assert.equal(new Set(ipynb.cells.map((cell) => cell.id)).size, 3, 'cell ids are unique');
  });

  it('gives back the same notebook, byte for byte', async () => {
    assert.equal(await roundTrip(run), serializeNotebook(run));
  });

  it('keeps what Jupyter has no field for: unknown fields, odd outputs, metadata, languages', async () => {
    const odd = notebook(
      [
        { kind: 'markdown', source: '', metadata: {}, outputs: [{ items: [{ mime: 'text/plain', data: 'x' }] }] },
        {
          kind: 'code',
          language: 'javascript',
          source: 'x',
          execution: { durationMs: 5 },
          outputs: [],
          metadata: { tags: ['a'], dlnb: 'mine' },
        },
        { kind: 'code', source: 'y', execution: { order: 1.5 }, future: { field: true } },
        {
          kind: 'code',
          source: 'z\n',
          outputs: [
            { items: [{ mime: STDOUT_MIME, data: 'a' }], metadata: { note: 1 } },
            { items: [{ mime: ERROR_MIME, data: { name: 'E', message: 'm', stack: 's', extra: 1 } }] },
            {
              items: [
                { mime: 'image/png', encoding: 'base64', data: 'iVBORw0KGgo=' },
                { mime: 'text/plain', data: '<img>' },
              ],
            },
            { items: [{ mime: 'text/plain', data: 'tagged', custom: true }] },
          ],
        },
      ],
      { metadata: { title: 'Odd' }, later: [1, 2] },
    );
    assert.equal(await roundTrip(odd), serializeNotebook(odd));
  });

  it('keeps a dlnb code cell in another language a code cell, without the whole-cell fallback', async () => {
    const nb = notebook([{ kind: 'code', language: 'python', source: 'print(1)', execution: { order: 2 } }]);
    const ipynb = await toIpynb(nb);
    assert.equal((ipynb.cells[0].metadata.dlnb as Record<string, unknown>).cell, undefined);
    assert.equal(serializeNotebook(fromIpynbText(JSON.stringify(ipynb))), serializeNotebook(nb));
  });

  it('marks a notebook of JavaScript cells for jslab', async () => {
    const ipynb = await toIpynb(notebook([{ kind: 'code', language: 'javascript', source: '1' }]));
    assert.equal((ipynb.metadata.kernelspec as Record<string, unknown>).name, 'jslab');
  });
});

describe('.ipynb -> .dlnb', () => {
  const python = {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
    cells: [
      {
        cell_type: 'markdown',
        metadata: {},
        source: ['# PyTorch basics\n', 'See ![fig](attachment:fig.png)'],
        attachments: { 'fig.png': { 'image/png': 'iVBORw0KGgo=' } },
      },
      {
        cell_type: 'code',
        metadata: {},
        execution_count: 1,
        source: ['import torch\n', 'print(torch.ones(2))'],
        outputs: [{ output_type: 'stream', name: 'stdout', text: ['tensor([1., 1.])\n'] }],
      },
      { cell_type: 'code', metadata: {}, execution_count: 2, source: 'x = ```odd```', outputs: [] },
      { cell_type: 'raw', metadata: { format: 'text/latex' }, source: '\\section{A}' },
    ],
  };

  it('keeps every markdown cell and every Python cell as fenced code, with attachments inline', () => {
    const dlnb = fromIpynb(structuredClone(python));
    assert.equal(dlnb.cells.length, 4);
    assert.ok(dlnb.cells.every((cell) => cell.kind === 'markdown'));
    assert.equal(dlnb.cells[0].source, '# PyTorch basics\nSee ![fig](data:image/png;base64,iVBORw0KGgo=)');
    assert.equal(dlnb.cells[1].source, '```python\nimport torch\nprint(torch.ones(2))\n```\n\n```text\ntensor([1., 1.])\n```');
    assert.equal(dlnb.cells[2].source, '````python\nx = ```odd```\n````');
    assert.equal(dlnb.cells[3].source, '```latex\n\\section{A}\n```');
  });

  it('makes TypeScript and JavaScript cells runnable, whatever the notebook language', () => {
    const dlnb = fromIpynb({
      nbformat: 4,
      nbformat_minor: 2,
      metadata: { kernelspec: { name: '.net-csharp', language: 'C#' } },
      cells: [
        {
          cell_type: 'code',
          metadata: { polyglot_notebook: { kernelName: 'javascript' } },
          source: 'console.log(1)',
          execution_count: 7,
          outputs: [{ output_type: 'error', ename: 'Error', evalue: 'x', traceback: ['\u001b[31mError\u001b[0m: x'] }],
        },
        { cell_type: 'code', metadata: {}, source: 'var x = 1;', outputs: [] },
      ],
    });
    assert.deepEqual(dlnb.cells[0], {
      kind: 'code',
      source: 'console.log(1)',
      language: 'javascript',
      execution: { order: 7 },
      outputs: [{ items: [{ mime: ERROR_MIME, data: { name: 'Error', message: 'x', stack: 'Error: x' } }] }],
      metadata: { polyglot_notebook: { kernelName: 'javascript' } },
    });
    assert.equal(dlnb.cells[1].kind, 'markdown');
    assert.match(dlnb.cells[1].source, /^```c#\n/);
  });

  it('reads nbformat 3: worksheets, headings, inputs and pyout', () => {
    const dlnb = fromIpynb({
      nbformat: 3,
      nbformat_minor: 0,
      metadata: { name: 'old' },
      worksheets: [
        {
          cells: [
            { cell_type: 'heading', level: 2, source: ['Old lesson'], metadata: {} },
            {
              cell_type: 'code',
              language: 'javascript',
              input: ['1 + 1'],
              prompt_number: 4,
              outputs: [{ output_type: 'pyout', text: ['2'], prompt_number: 4 }],
              metadata: {},
            },
            { cell_type: 'markdown', source: 'Done', metadata: {} },
          ],
        },
      ],
    });
    assert.deepEqual(
      dlnb.cells.map((cell) => [cell.kind, cell.source]),
      [
        ['markdown', '## Old lesson'],
        ['code', '1 + 1'],
        ['markdown', 'Done'],
      ],
    );
    assert.deepEqual(dlnb.cells[1].outputs, [{ items: [{ mime: 'text/plain', data: '2' }] }]);
    assert.deepEqual(dlnb.cells[1].execution, { order: 4 });
  });

  for (const [what, text, message] of [
    ['text that is not JSON', '{"nbformat": 4, "cells": [', /not valid JSON/],
    ['a cut-short file without cells', '{"nbformat": 4, "metadata": {}}', /^cells: expected a list of cells, got nothing/],
    ['a newer format', '{"nbformat": 5, "cells": []}', /^nbformat: version number 5 is not supported/],
    ['a .dlnb file', '{"dlnb": 1, "cells": []}', /^nbformat: missing/],
    [
      'a bad cell',
      '{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": "", "outputs": []}, {"cell_type": "code", "source": 3}]}',
      /^cells\[1\]\.source: expected text/,
    ],
    [
      'a bad output',
      '{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "pyout"}]}]}',
      /^cells\[0\]\.outputs\[0\]\.output_type/,
    ],
  ] as const) {
    it(`refuses ${what} with a clear error`, () => {
      assert.throws(
        () => fromIpynbText(text),
        (error: unknown) => error instanceof ConvertError && message.test(error.message),
      );
    });
  }
});

describe('HTML export', () => {
  const hostile = notebook(
    [
      {
        kind: 'markdown',
        source:
          '# Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[link](javascript:alert(3)) ![remote](http://example.com/a.png) $x^2$\n\n$\\href{javascript:alert(13)}{y}$ and $<img src=x onerror=alert(14)>$',
      },
      {
        kind: 'code',
        source: '"</code></pre><script>alert(4)</script>"',
        outputs: [
          { items: [{ mime: STDOUT_MIME, data: '<script>alert(5)</script>\n' }] },
          {
            items: [
              { mime: 'text/html', data: '<b onmouseover=alert(6)>x</b>' },
              { mime: 'text/plain', data: '<iframe src=x onload=alert(7)>' },
            ],
          },
          { items: [{ mime: ERROR_MIME, data: { name: 'Error', message: '<svg onload=alert(8)>', stack: '' } }] },
          { items: [{ mime: 'image/svg+xml', data: '<svg onload="alert(9)"><script>alert(10)</script></svg>' }] },
          { items: [{ mime: 'image/png', encoding: 'base64', data: '"><script>alert(11)</script>' }] },
        ],
      },
    ],
    { metadata: { title: '</title><script>alert(12)</script>' } },
  );

  it('shows markup from a notebook as text: no script, no handlers, nothing loaded', async () => {
    const html = await toHtml(hostile, { title: 'x', renderSvg: fakeSvg });
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<[a-z][^>]*\son[a-z]+\s*=/i, 'no event handler attribute on any element');
    assert.doesNotMatch(html, /<a\b[^>]*href="(?!https?:|#)/i, 'links go to web pages only');
    assert.doesNotMatch(html, /href="javascript:/i);
    assert.doesNotMatch(html, /src="https?:/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'the markdown HTML is shown as text');
    assert.match(html, /&lt;img src=x onerror=alert\(2\)&gt;/);
    assert.match(html, /&lt;script&gt;alert\(5\)&lt;\/script&gt;/, 'the output text is shown as text');
    assert.match(html, /&lt;iframe src=x onload=alert\(7\)&gt;/);
    assert.match(html, /&lt;svg onload=alert\(8\)&gt;/);
    assert.match(
      html,
      /<img class="output" alt="output image" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+">/,
      'an SVG output is an image, where scripts never run',
    );
    assert.match(html, /<math/, 'math is rendered at export time');
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">/,
    );
    assert.match(html, /<title>&lt;\/title&gt;&lt;script&gt;/);
  });

  it('draws charts inline with the renderer, and says so when one cannot be drawn', async () => {
    const nb = notebook([
      {
        kind: 'code',
        source: '',
        outputs: [{ items: [{ mime: CHART, data: spec }] }, { items: [{ mime: CHART, data: { mark: 'nope' } }] }],
      },
    ]);
    let calls = 0;
    const html = await toHtml(nb, {
      title: 't',
      renderSvg: async (s) => {
        if (++calls === 2) throw new Error('Invalid mark "nope"');
        assert.deepEqual(s, spec);
        return '<svg class="drawn"></svg>';
      },
    });
    assert.match(html, /<figure class="chart"><svg class="drawn"><\/svg><\/figure>/);
    assert.match(html, /\[chart not drawn: Invalid mark &quot;nope&quot;\]/);
  });
});

describe('Markdown export', () => {
  it('fences code and outputs, and writes charts and images as files beside it', async () => {
    const nb = parseNotebook(
      serializeNotebook(
        notebook([
          { kind: 'markdown', source: '# Lesson\n' },
          {
            kind: 'code',
            source: 'const s = "```";',
            outputs: [
              { items: [{ mime: STDOUT_MIME, data: 'printed\n' }] },
              { items: [{ mime: CHART, data: { ...spec, title: 'Loss [train]' } }] },
              { items: [{ mime: 'image/png', encoding: 'base64', data: 'iVBORw0KGgo=' }] },
            ],
          },
        ]),
      ),
    );
    const { text, assets } = await toMarkdown(nb, { assetsDir: 'lesson_files', renderSvg: fakeSvg });
    assert.equal(
      text,
      '# Lesson\n\n````typescript\nconst s = "```";\n````\n\n```text\nprinted\n```\n\n![Loss \\[train\\]](lesson_files/cell-2-2.svg)\n\n![output image](lesson_files/cell-2-3.png)\n',
    );
    assert.deepEqual(
      assets.map((a) => a.path),
      ['lesson_files/cell-2-2.svg', 'lesson_files/cell-2-3.png'],
    );
    assert.deepEqual([...(assets[1].data as Uint8Array).slice(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  });
});

describe('where the converters load', () => {
  it('stay out of the extension bundle, which requires dist/export.js only when a command runs', async () => {
    const esbuild = await import('esbuild');
    const root = new URL('../..', import.meta.url).pathname;
    const result = await esbuild.build({
      entryPoints: ['src/extension.ts'],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'cjs',
      external: ['vscode'],
      logLevel: 'silent',
      absWorkingDir: root,
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.includes('src/host/exportCommands.ts'), 'the commands are in the extension');
    const heavy = inputs.filter((input) => /node_modules\/(markdown-it|katex|highlight\.js|vega)|^src\/convert\//.test(input));
    assert.deepEqual(heavy, []);
  });
});

describe('dlnb export/import arguments', () => {
  it('reads formats and options strictly', async () => {
    const { parseArgs, UsageError } = await import('../../src/cli/args');
    assert.deepEqual(parseArgs(['export', 'a.dlnb', '--to', 'html', '--out', 'b.html']), {
      command: 'export',
      file: 'a.dlnb',
      to: 'html',
      out: 'b.html',
      execute: false,
      backend: 'wasm',
    });
    assert.deepEqual(parseArgs(['import', 'a.ipynb', '--force']), { command: 'import', file: 'a.ipynb', force: true });
    assert.throws(
      () => parseArgs(['export', 'a.dlnb', '--to', 'pdf']),
      (e: unknown) => e instanceof UsageError && /--to must be ipynb, html or md, got 'pdf'/.test(e.message),
    );
    assert.throws(() => parseArgs(['export', 'a.dlnb']), /say which format with --to/);
    assert.throws(() => parseArgs(['export', 'a.dlnb', '--to', 'md', '--timeout', '5']), /only with --execute/);
    assert.throws(() => parseArgs(['import']), /missing the notebook to import/);
  });
});

describe('chart PNG', () => {
  it('rasterizes chart SVG at twice its size with the shipped font, no canvas needed', async () => {
    const { svgToPng } = await import('../../src/convert/chartPng');
    const { chartToSvg } = await import('../../src/convert/chartSvg');
    const svg = await chartToSvg({ ...spec, title: 'Loss', width: 200, height: 100 });
    const png = Buffer.from(await svgToPng(svg));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    assert.equal(png.readUInt32BE(16), width * 2);
  });

  it('draws chart text: without a font it would leave it out', async () => {
    const { svgToPng } = await import('../../src/convert/chartPng');
    const page = (text: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20"><text x="2" y="15" font-family="sans-serif" font-size="14">${text}</text></svg>`;
    const [empty, written] = await Promise.all([svgToPng(page('')), svgToPng(page('Loss 0.25'))]);
    assert.notDeepEqual(Buffer.from(written), Buffer.from(empty));
  });
});

describe('chart SVG in pages', () => {
  it('drops links and refuses markup that does not belong in a chart', async () => {
    const { checkedSvg } = await import('../../src/convert/chartSvg');
    assert.equal(
      checkedSvg('<svg><a xlink:href="javascript:alert(1)" target="_blank"><path d="M0"/></a></svg>'),
      '<svg><path d="M0"/></svg>',
    );
    assert.throws(() => checkedSvg('<svg><foreignObject><div/></foreignObject></svg>'), /not allowed in a chart/);
    assert.throws(() => checkedSvg('<svg onload="x()"></svg>'), /not allowed in a chart/);
  });
});
