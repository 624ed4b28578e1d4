// The Parameters view's rows, from a snapshot's parameter tree: models, layers and modules
// with their parameter counts; tensors with shape, dtype and a one-line summary. Pure.
import type { ParamNode } from '../../shared/protocol';
import { elementCount, formatNumber, formatShape, plural } from './panelFormat';
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

function leafDescription(node: ParamNode): string {
  const head = `${formatShape(node.shape)} ${node.dtype ?? ''}`.trim();
  const { stats } = node;
  if (!stats) return head;
  return `${head} · mean ${formatNumber(stats.mean)} · std ${formatNumber(stats.std)} · min ${formatNumber(stats.min)} · max ${formatNumber(stats.max)}`;
}

function leafTooltip(node: ParamNode): string {
  const lines = [`**${node.id}**`, '', `${node.kind} · shape ${formatShape(node.shape)} · ${node.dtype} · ${plural(elementCount(node.shape), 'element')}`];
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
    tooltip: `**${node.id}** (${node.kind})`,
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
