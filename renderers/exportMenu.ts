// The chart's "…" menu: save as PNG or SVG, nothing that needs the network. Built here
// rather than with vega-embed's actions menu, which kept every redrawn chart alive
// (about 350 KB per redraw in Chromium), enough to matter for a live chart.
import type { View } from 'vega';

const FORMATS = [
  { ext: 'png', label: 'Save as PNG', scale: 2 },
  { ext: 'svg', label: 'Save as SVG', scale: 1 },
] as const;

/** Adds the menu to `root` (a positioned chart container); removed with it. */
export function addExportMenu(root: HTMLElement, view: View, fileName: string): void {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'dlnb-chart-menu';
  button.title = 'Export';
  button.setAttribute('aria-haspopup', 'true');
  button.textContent = '\u22ef';
  Object.assign(button.style, {
    position: 'absolute',
    top: '0',
    right: '0',
    border: 'none',
    borderRadius: '3px',
    padding: '0 6px',
    cursor: 'pointer',
    font: 'inherit',
    background: 'var(--vscode-button-secondaryBackground, #e5e5e5)',
    color: 'var(--vscode-button-secondaryForeground, #333)',
    opacity: '0',
    transition: 'opacity 0.2s',
  });

  const menu = document.createElement('div');
  menu.className = 'vega-actions';
  menu.hidden = true;
  Object.assign(menu.style, {
    position: 'absolute',
    top: '22px',
    right: '0',
    zIndex: '10',
    display: 'flex',
    flexDirection: 'column',
    padding: '4px 0',
    borderRadius: '3px',
    background: 'var(--vscode-menu-background, #fff)',
    border: '1px solid var(--vscode-menu-border, #ccc)',
    boxShadow: '0 2px 8px rgba(0, 0, 0, 0.2)',
  });

  for (const { ext, label, scale } of FORMATS) {
    const link = document.createElement('a');
    link.textContent = label;
    link.href = '#';
    link.download = `${fileName}.${ext}`;
    Object.assign(link.style, {
      padding: '4px 12px',
      whiteSpace: 'nowrap',
      textDecoration: 'none',
      color: 'var(--vscode-menu-foreground, #333)',
    });
    // The image is made on mousedown so the href is ready when the click follows.
    link.addEventListener('mousedown', async (event) => {
      event.preventDefault();
      link.href = await view.toImageURL(ext, scale);
    });
    link.addEventListener('click', () => {
      menu.hidden = true;
    });
    menu.appendChild(link);
  }

  button.addEventListener('click', () => {
    menu.hidden = !menu.hidden;
  });
  root.addEventListener('mouseenter', () => (button.style.opacity = '1'));
  root.addEventListener('mouseleave', () => {
    button.style.opacity = '0';
    menu.hidden = true;
  });
  button.addEventListener('focus', () => (button.style.opacity = '1'));
  root.append(button, menu);
}
