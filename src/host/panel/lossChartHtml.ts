// The loss-curve webview's page: our bundled script only (by nonce), no network, no eval
// (vega expressions run through vega-interpreter). Pure, so a test can serve the same page.

export interface LossChartPage {
  /** The webview's `cspSource`. */
  cspSource: string;
  /** Webview URI of dist/lossChart.js. */
  scriptUri: string;
  nonce: string;
}

export function newNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 32 }, () => chars[Math.floor(Math.random() * chars.length)]).join('');
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function lossChartCsp({ cspSource, nonce }: LossChartPage): string {
  // vega-embed and its tooltips add inline styles.
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function lossChartHtml(page: LossChartPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attribute(lossChartCsp(page))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style>
  html, body { height: 100%; margin: 0; padding: 0; overflow: hidden; }
  #chart { box-sizing: border-box; width: 100%; height: 100vh; padding: 12px 16px; }
  #chart.vega-embed { display: block; }
</style>
</head>
<body>
<div id="chart">Loading the curve…</div>
<script nonce="${page.nonce}" src="${attribute(page.scriptUri)}"></script>
</body>
</html>`;
}
