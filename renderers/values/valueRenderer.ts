// The notebook renderer for dlnb's own values (renderer id `dlnb.values`): tensors
// (`application/vnd.dlnb.tensor+json`) and model summaries (`application/vnd.dlnb.model+json`).
// Its own small bundle, apart from the Vega one, so showing a tensor loads no chart
// library. Each render replaces the element's content.
import { MIME, type ModelSummary, type TensorView } from '../../src/shared/protocol';
import type { ActivationFunction, OutputItem } from '../rendererApi';
import { addStyles } from './styles';
import { renderModel } from './modelOutput';
import { renderTensor } from './tensorOutput';

function renderProblem(into: HTMLElement, message: string): void {
  const box = document.createElement('div');
  box.className = 'dlnb-value';
  box.setAttribute('role', 'alert');
  box.textContent = message;
  into.replaceChildren(box);
}

function render(item: OutputItem, element: HTMLElement): void {
  addStyles();
  let value: unknown;
  try {
    value = item.json();
  } catch (error) {
    renderProblem(element, `Could not read this output: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (item.mime === MIME.tensor) renderTensor(value as TensorView, element);
  else if (item.mime === MIME.model) renderModel(value as ModelSummary, element);
  else renderProblem(element, `dlnb has no view for ${item.mime}.`);
}

export const activate: ActivationFunction = () => ({
  renderOutputItem: (item, element) => render(item, element),
  disposeOutputItem: () => undefined,
});
