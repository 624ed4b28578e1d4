// The Parameters view's rows, from a snapshot's parameter tree: models, layers and modules
// with their parameter counts (a model's summary table in its tooltip); tensors with their
// shape and a short description that fits the default side-bar width, all statistics in
// the tooltip. Pure.
import { parameterLine } from '../../shared/modelSummaryText';
import type { ModelSummary, ParamNode } from '../../shared/protocol';
import { elementCount, formatCount, formatNumber, formatShape, plural } from './panelFormat';
import { collapsibleFor, type TreeItemSpec } from './treeItemSpec';

const ICONS: Record<ParamNode['kind'], string> = {
  model: 'symbol-class',
  layer: 'layers',
  module: 'symbol-module',
  variable: 'symbol-variable',
  tensor: 'symbol-array',
};

/** Context values; package.json menus match leaves with `viewItem =~ /tensor/`. */
export const PARAM_CONTEXT = { leaf: 'tensor', group: 'paramGroup' } as const;

function isLeaf(node: ParamNode): boolean {
  return node.kind === 'variable' || node.kind === 'tensor';
}

/** Elements held by a node's tensors, its descendants' included. */
export function parameterCount(node: ParamNode): number {
  if (isLeaf(node)) return elementCount(node.shape);
  return (node.children ?? []).reduce((sum, child) => sum + parameterCount(child), 0);
}

/** Values shown in the description itself, when a tensor has at most this many. */
const INLINE_VALUES = 3;

/**
 * What fits beside the name in a ~300 px side bar: the shape (and the dtype when it is not
 * float32), then the value itself for a few values (`= 4.979`), else the mean.
 */
function leafDescription(node: ParamNode): string {
  const dtype = node.dtype && node.dtype !== 'float32' ? ` ${node.dtype}` : '';
  const head = `${formatShape(node.shape)}${dtype}`;
  if (node.values && node.values.length <= INLINE_VALUES) {
    const shown = node.values.map(formatNumber);
    return `${head} = ${shown.length === 1 ? shown[0] : `[${shown.join(', ')}]`}`;
  }
  return node.stats ? `${head} · mean ${formatNumber(node.stats.mean)}` : head;
}

function leafTooltip(node: ParamNode): string {
  const lines = [
    `**${node.id}**`,
    '',
    `${node.kind} · shape ${formatShape(node.shape)} · ${node.dtype} · ${plural(elementCount(node.shape), 'element')}`,
  ];
  if (node.stats) {
    const { mean, std, min, max } = node.stats;
    lines.push('', `mean ${formatNumber(mean)} · std ${formatNumber(std)} · min ${formatNumber(min)} · max ${formatNumber(max)}`);
  }
  if (node.values) lines.push('', `values: ${node.values.map(formatNumber).join(', ')}`);
  else if (!node.stats && node.dtype !== 'string') lines.push('', 'Summary not computed yet (too much data changed at once).');
  return lines.join('\n');
}

function groupDescription(node: ParamNode): string {
  const children = node.children ?? [];
  const params = plural(parameterCount(node), 'param');
  switch (node.kind) {
    case 'model':
      return `${plural(children.length, 'layer')} · ${params}`;
    case 'layer':
      return children.length ? params : 'no weights';
    default:
      return params;
  }
}

export function parameterItem(node: ParamNode, depth = 0): TreeItemSpec {
  const id = `param:${node.id}`;
  if (isLeaf(node)) {
    return {
      id,
      label: node.label,
      description: leafDescription(node),
      tooltip: leafTooltip(node),
      contextValue: PARAM_CONTEXT.leaf,
      icon: ICONS[node.kind],
      collapsible: 'none',
      target: node.id,
    };
  }
  const children = (node.children ?? []).map((child) => parameterItem(child, depth + 1));
  return {
    id,
    label: node.label,
    description: groupDescription(node),
    tooltip: node.summary ? summaryMarkdown(node.id, node.summary) : `**${node.id}** (${node.kind})`,
    contextValue: PARAM_CONTEXT.group,
    icon: ICONS[node.kind],
    collapsible: collapsibleFor(children, depth === 0),
    children,
    target: node.id,
  };
}

export function parameterItems(parameters: ParamNode[]): TreeItemSpec[] {
  return parameters.map((node) => parameterItem(node));
}

/** Markdown cells may not hold a bare `|`. */
const cellText = (text: string) => text.replace(/\|/g, '\\|');

/** A model's summary as a Markdown table: what the hover over its row shows. */
export function summaryMarkdown(name: string, summary: ModelSummary): string {
  const rows = summary.layers.map(
    (l) =>
      `| ${'&nbsp;&nbsp;'.repeat(Math.max(0, l.depth - 1))}${cellText(l.name)} | ${cellText(l.type)} | ${cellText(l.outputShape)} | ${formatCount(l.params)} |`,
  );
  return [
    `**${name}**: ${cellText(summary.title)}`,
    '',
    '| Layer | Type | Output shape | Params |',
    '|---|---|---|---:|',
    ...rows,
    ...(summary.cut ? ['', '(more layers not listed)'] : []),
    '',
    parameterLine(summary),
  ].join('\n');
}
