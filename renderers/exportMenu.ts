// The chart's "…" menu: save as PNG or SVG, nothing that needs the network. Built here
// rather than with vega-embed's actions menu, which kept every redrawn chart alive
// (about 350 KB per redraw in Chromium), enough to matter for a live chart.
// Closed at rest so nothing covers the legend: it opens on its button and closes on a
// choice, Escape, a click outside or the pointer leaving the chart. Its display is set
// inline (an inline `display: flex` would override the `hidden` attribute). Its button
// sits in a gutter right of the chart: over the chart it would hide the legend's first entry.
import type { View } from 'vega';

const FORMATS = [
  { ext: 'png', label: 'Save as PNG', scale: 2 },
  { ext: 'svg', label: 'Save as SVG', scale: 1 },
] as const;

/** Width of the gutter the button sits in, in CSS pixels. */
export const MENU_GUTTER_PX = 26;

/** Reserves the button's gutter in `root`; call before the chart is sized to the container. */
export function reserveMenuGutter(root: HTMLElement): void {
  root.style.boxSizing = 'border-box';
  root.style.paddingRight = `${MENU_GUTTER_PX}px`;
}

/** Adds the menu to `root` (a positioned chart container with a gutter); removed with it. */
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
    width: `${MENU_GUTTER_PX - 2}px`,
    padding: '0',
    cursor: 'pointer',
    font: 'inherit',
    background: 'var(--vscode-button-secondaryBackground, #e5e5e5)',
    color: 'var(--vscode-button-secondaryForeground, #333)',
    opacity: '0',
    transition: 'opacity 0.2s',
  });

  const menu = document.createElement('div');
  menu.className = 'vega-actions';
  Object.assign(menu.style, {
    position: 'absolute',
    top: '22px',
    right: '0',
    zIndex: '10',
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
    link.addEventListener('click', () => setOpen(false));
    menu.appendChild(link);
  }

  // The document listeners exist only while the menu is open, so a closed menu (and a
  // removed chart) holds none.
  const onKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    setOpen(false);
    button.focus();
  };
  // Anywhere but the menu, and the button (whose own click toggles it), closes the menu.
  const onPointer = (event: Event): void => {
    const target = event.target as Node;
    if (!menu.contains(target) && !button.contains(target)) setOpen(false);
  };
  function setOpen(open: boolean): void {
    menu.hidden = !open;
    menu.style.display = open ? 'flex' : 'none';
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      document.addEventListener('keydown', onKey, true);
      document.addEventListener('pointerdown', onPointer, true);
    } else {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onPointer, true);
    }
  }
  setOpen(false);

  button.addEventListener('click', () => setOpen(menu.hidden));
  root.addEventListener('mouseenter', () => (button.style.opacity = '1'));
  root.addEventListener('mouseleave', () => {
    button.style.opacity = '0';
    setOpen(false);
  });
  button.addEventListener('focus', () => (button.style.opacity = '1'));
  root.append(button, menu);
}
