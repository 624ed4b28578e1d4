// The exported page's stylesheet: one inline <style>, light by default and dark when the
// reader's system is (prefers-color-scheme), code colours for highlight.js's classes.
// Charts keep Vega's white background in both, as they look in the notebook.

export const PAGE_STYLE = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0;
  --code-bg: #f6f8fa; --error-bg: #ffebe9; --error-fg: #82071e; --stderr-bg: #fff8c5; --link: #0969da;
  --kw: #cf222e; --str: #0a3069; --num: #0550ae; --com: #59636e; --fn: #8250df; --type: #953800; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --code-bg: #151b23;
    --error-bg: #3c1618; --error-fg: #ffa198; --stderr-bg: #3a2f0b; --link: #4493f8;
    --kw: #ff7b72; --str: #a5d6ff; --num: #79c0ff; --com: #9198a1; --fn: #d2a8ff; --type: #ffa657; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 16px/1.6 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 32px 24px 64px; }
a { color: var(--link); }
.cell { margin: 0 0 20px; }
.cell.code { border-left: 3px solid var(--border); padding-left: 14px; }
.prompt { color: var(--muted); font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
pre { margin: 8px 0; padding: 12px 14px; overflow-x: auto; border-radius: 6px;
  font: 13.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre; }
pre.code { background: var(--code-bg); border: 1px solid var(--border); }
pre.output { padding: 4px 0; white-space: pre-wrap; word-break: break-word; }
pre.stderr { background: var(--stderr-bg); padding: 8px 12px; }
pre.error { background: var(--error-bg); color: var(--error-fg); padding: 8px 12px; white-space: pre-wrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
:not(pre) > code { background: var(--code-bg); padding: 0.15em 0.35em; border-radius: 4px; }
.chart { margin: 8px 0; overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; border-radius: 4px; }
img { max-width: 100%; }
.math { overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; } th, td { border: 1px solid var(--border); padding: 4px 10px; }
.note { color: var(--muted); font-style: italic; }
.hljs-keyword, .hljs-built_in, .hljs-literal { color: var(--kw); }
.hljs-string, .hljs-regexp { color: var(--str); }
.hljs-number { color: var(--num); }
.hljs-comment { color: var(--com); font-style: italic; }
.hljs-title, .hljs-title.function_ { color: var(--fn); }
.hljs-type, .hljs-title.class_, .hljs-params { color: var(--type); }
.hljs-attr, .hljs-property, .hljs-variable { color: var(--num); }
`;
