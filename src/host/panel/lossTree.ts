// The Loss History view's rows: one per run, its metrics as children. Pure.
import type { LossRun, LossSeries } from '../../shared/protocol';
import { formatNumber, plural } from './panelFormat';
import type { TreeItemSpec } from './treeItemSpec';

export const OPEN_CHART_COMMAND = 'dlnb.lossHistory.openChart';
export const LOSS_CONTEXT = { run: 'lossRun', metric: 'lossMetric' } as const;

const SOURCES: Record<LossRun['source'], string> = {
  optimizer: 'a learning-kit optimizer',
  fit: 'a model.fit call',
  log: 'history.log',
};

/** "last 0.0613 · best 0.0612 · 3000 steps" */
export function seriesDescription(series: LossSeries): string {
  if (series.steps === 0) return 'no steps yet';
  return `last ${formatNumber(series.last)} · best ${formatNumber(series.best)} · ${plural(series.steps, 'step')}`;
}

export function runItem(run: LossRun): TreeItemSpec {
  const children = run.metrics.map<TreeItemSpec>((metric) => ({
    id: `run:${run.id}/${metric.name}`,
    label: metric.name,
    description: seriesDescription(metric),
    contextValue: LOSS_CONTEXT.metric,
    icon: 'pulse',
    collapsible: 'none',
    target: run.id,
  }));
  return {
    id: `run:${run.id}`,
    label: run.name,
    description: seriesDescription(run.loss),
    tooltip: `**${run.name}**, recorded from ${SOURCES[run.source]}\n\n${run.loss.name}: ${seriesDescription(run.loss)}`,
    contextValue: LOSS_CONTEXT.run,
    icon: 'graph-line',
    collapsible: children.length ? 'collapsed' : 'none',
    children,
    command: { command: OPEN_CHART_COMMAND, title: 'Show Loss Curve' },
    target: run.id,
  };
}

export function lossItems(runs: LossRun[]): TreeItemSpec[] {
  return runs.map(runItem);
}
