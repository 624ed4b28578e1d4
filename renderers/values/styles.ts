// The look of tensor and model outputs, from the VS Code theme's CSS variables (so a
// theme change restyles them with no redraw). Added to the output webview once.

const CSS = `
.dlnb-value { font-family: var(--vscode-editor-font-family, monospace); font-size: var(--vscode-editor-font-size, 13px);
  color: var(--vscode-editor-foreground, inherit); line-height: 1.4; }
.dlnb-value .dlnb-head { font-weight: 600; }
.dlnb-value .dlnb-sub { color: var(--vscode-descriptionForeground, inherit); opacity: 0.9; margin-bottom: 4px; }
.dlnb-value .dlnb-parts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.dlnb-value table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.dlnb-value th, .dlnb-value td { padding: 1px 8px; text-align: right; white-space: nowrap; }
.dlnb-value th { color: var(--vscode-descriptionForeground, inherit); font-weight: normal; }
.dlnb-value thead th { border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128, 128, 128, 0.35)); }
.dlnb-value tbody th { border-right: 1px solid var(--vscode-editorWidget-border, rgba(128, 128, 128, 0.35)); }
.dlnb-value tbody tr:hover { background: var(--vscode-list-hoverBackground, rgba(128, 128, 128, 0.1)); }
.dlnb-value .dlnb-gap { color: var(--vscode-descriptionForeground, inherit); text-align: center; }
.dlnb-value .dlnb-text-left { text-align: left; }
.dlnb-value figure { margin: 0; }
.dlnb-value figcaption { color: var(--vscode-descriptionForeground, inherit); font-size: 0.9em; margin-top: 2px; }
.dlnb-value canvas { image-rendering: pixelated; display: block;
  border: 1px solid var(--vscode-editorWidget-border, rgba(128, 128, 128, 0.35)); }
.dlnb-value .dlnb-scale { display: flex; align-items: center; gap: 6px; font-size: 0.9em; }
.dlnb-value .dlnb-scale span.bar { display: inline-block; width: 80px; height: 8px; }
`;

let added = false;

export function addStyles(doc: Document = document): void {
  if (added) return;
  added = true;
  const style = doc.createElement('style');
  style.textContent = CSS;
  doc.head.appendChild(style);
}
