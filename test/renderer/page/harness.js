// Plays VS Code's part for the renderer: activates it and hands it output items and
// elements, one element per output id as the notebook webview does.
import { activate } from './renderer.js';

const messages = [];
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
});

const api = activate({ postMessage: (m) => messages.push(m) });
const elements = new Map();

function outputItem(id, text, mime) {
  return {
    id,
    mime,
    metadata: {},
    text: () => text,
    json: () => JSON.parse(text),
    data: () => new TextEncoder().encode(text),
  };
}

/**
 * Runs `work` in a task the page itself starts. Code called straight from playwright's
 * page.evaluate runs as DevTools code, which Chromium exempts from the CSP's eval ban:
 * rendering there would hide an `unsafe-eval` dependency.
 */
function inPageTask(work) {
  return new Promise((resolve, reject) => setTimeout(() => work().then(resolve, reject), 0));
}

async function render(id, spec, mime) {
  let element = elements.get(id);
  if (!element) {
    element = document.createElement('div');
    element.className = 'output';
    element.id = `output-${id}`;
    document.getElementById('outputs').appendChild(element);
    elements.set(id, element);
  }
  const text = typeof spec === 'string' ? spec : JSON.stringify(spec);
  await api.renderOutputItem(outputItem(id, text, mime), element, new AbortController().signal);
}

window.harness = {
  render: (id, spec, mime = 'application/vnd.vegalite.v5+json') => inPageTask(() => render(id, spec, mime)),
  /** Several updates to one output handed over in one task, before any could draw. */
  renderBurst: (id, specs, mime = 'application/vnd.vegalite.v5+json') =>
    inPageTask(() => Promise.all(specs.map((spec) => render(id, spec, mime)))),
  dispose(id) {
    api.disposeOutputItem(id);
    elements.get(id)?.remove();
    elements.delete(id);
  },
  stats: () => api.stats(),
  messages,
  violations,
};
window.dispatchEvent(new Event('harness-ready'));
document.body.dataset.ready = 'true';
