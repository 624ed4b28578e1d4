// Chart colours and font from the VS Code theme the webview is in: its CSS variables
// and the body class (vscode-light / vscode-dark / vscode-high-contrast). A spec that
// sets its own `config` or `background` is left exactly as written.

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function themeKind(body: HTMLElement = document.body): ThemeKind {
  const classes = body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-dark')) return 'dark';
  return 'light';
}

export function isDark(kind: ThemeKind): boolean {
  return kind === 'dark' || kind === 'high-contrast';
}

function cssVariable(name: string): string {
  return (
    getComputedStyle(document.body).getPropertyValue(name).trim() ||
    getComputedStyle(document.documentElement).getPropertyValue(name).trim()
  );
}

/** Vega-Lite config matching the current theme. */
export function themeConfig(kind: ThemeKind = themeKind()): Record<string, unknown> {
  const dark = isDark(kind);
  const highContrast = kind.startsWith('high-contrast');
  const foreground = cssVariable('--vscode-editor-foreground') || (dark ? '#cccccc' : '#333333');
  const background = cssVariable('--vscode-editor-background') || 'transparent';
  const font = cssVariable('--vscode-font-family') || 'sans-serif';
  const gridOpacity = highContrast ? 0.5 : dark ? 0.15 : 0.1;
  const axis = {
    domainColor: foreground,
    domainOpacity: highContrast ? 1 : 0.4,
    tickColor: foreground,
    tickOpacity: highContrast ? 1 : 0.4,
    gridColor: foreground,
    gridOpacity,
    labelColor: foreground,
    titleColor: foreground,
    labelFont: font,
    titleFont: font,
  };
  return {
    background,
    font,
    title: { color: foreground, subtitleColor: foreground, font, subtitleFont: font },
    axis,
    legend: { labelColor: foreground, titleColor: foreground, labelFont: font, titleFont: font },
    header: { labelColor: foreground, titleColor: foreground },
    view: { stroke: foreground, strokeOpacity: gridOpacity },
    text: { color: foreground },
  };
}

/** True when the spec chooses its own look, which the theme then leaves alone. */
export function specSetsTheme(spec: Record<string, unknown>): boolean {
  return spec.config !== undefined || spec.background !== undefined;
}
