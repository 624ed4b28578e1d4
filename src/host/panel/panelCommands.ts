// The panel's row actions: Show Values and Copy Values on a tensor, Show Loss Curve on a run.
import * as vscode from 'vscode';
import type { KernelHandle } from '../../kernel-client/types';
import type { LossRun } from '../../shared/protocol';
import type { Log } from '../log';
import type { LossCharts } from './lossCharts';
import { OPEN_CHART_COMMAND } from './lossTree';
import { formatShape, plural } from './panelFormat';
import type { TreeItemSpec } from './treeItemSpec';
import type { ValuesDocuments } from './valuesDocument';

export interface PanelCommandContext {
  /** The followed notebook's kernel, when it has one. */
  kernel(): KernelHandle | undefined;
  /** The row a command was invoked on, or the view's selection (keyboard, palette). */
  selected(viewId: 'dlnb.parameters' | 'dlnb.lossHistory'): TreeItemSpec | undefined;
  /** A run of the followed kernel's latest snapshot. */
  run(runId: string): LossRun | undefined;
  documents: ValuesDocuments;
  charts: LossCharts;
  log: Log;
}

async function readValues(ctx: PanelCommandContext, item: TreeItemSpec | undefined) {
  const paramId = item?.target;
  const kernel = ctx.kernel();
  if (!paramId || !kernel) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select a tensor in the Parameters view first.'));
    return undefined;
  }
  const result = await kernel.values(paramId);
  if (!result || typeof result.text !== 'string') {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('{0} is no longer in the kernel (disposed, or the kernel restarted).', paramId),
    );
    return undefined;
  }
  return { paramId, ...result };
}

export function registerPanelCommands(ctx: PanelCommandContext): vscode.Disposable {
  const guarded = (name: string, action: (item?: TreeItemSpec) => Promise<void>) => async (item?: TreeItemSpec) => {
    try {
      await action(item);
    } catch (err) {
      ctx.log.error(`${name} failed`, err);
      void vscode.window.showErrorMessage(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(
      'dlnb.parameters.showValues',
      guarded('Show Values', async (item = ctx.selected('dlnb.parameters')) => {
        const values = await readValues(ctx, item);
        if (!values) return;
        const header = `// ${values.paramId}: shape ${formatShape(values.shape)}, ${plural(values.values.length, 'value')}, read ${new Date().toLocaleTimeString()}\n`;
        await ctx.documents.show(values.paramId, header + values.text + '\n', ctx.charts.panels());
      }),
    ),
    vscode.commands.registerCommand(
      'dlnb.parameters.copyValues',
      guarded('Copy Values', async (item = ctx.selected('dlnb.parameters')) => {
        const values = await readValues(ctx, item);
        if (!values) return;
        await vscode.env.clipboard.writeText(values.text);
        vscode.window.setStatusBarMessage(`Copied ${plural(values.values.length, 'value')} of ${values.paramId}`, 3000);
      }),
    ),
    vscode.commands.registerCommand(
      OPEN_CHART_COMMAND,
      guarded('Show Loss Curve', async (item = ctx.selected('dlnb.lossHistory')) => {
        const kernel = ctx.kernel();
        if (!item?.target || !kernel) {
          void vscode.window.showInformationMessage(vscode.l10n.t('Select a run in the Loss History view first.'));
          return;
        }
        await ctx.charts.open(kernel, ctx.run(item.target) ?? { id: item.target, name: item.label });
      }),
    ),
  );
}
