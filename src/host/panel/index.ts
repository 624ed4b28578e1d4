// The side panel: Parameters, Loss History and Kernel views for the DL notebook in focus,
// live while it trains. Composes the pure panel model and tree builders with thin VS Code
// adapters; tells the kernels to send live snapshots only while a view is visible.
import * as vscode from 'vscode';
import type { KernelManager } from '../kernel/kernelManager';
import type { Log } from '../log';
import { FollowedNotebook } from './followedNotebook';
import { kernelItems } from './kernelTree';
import { LossCharts } from './lossCharts';
import { lossItems } from './lossTree';
import { registerPanelCommands } from './panelCommands';
import { PanelModel } from './panelModel';
import { parameterItems } from './parameterTree';
import { SpecTreeView, type ViewContent } from './treeView';
import { ValuesDocuments } from './valuesDocument';

export interface PanelContext {
  kernels: KernelManager;
  log: Log;
  extensionUri: vscode.Uri;
}

const NO_KERNEL = 'Run a cell to start the kernel; its models and tensors show here.';
const NOTHING_HELD = 'No model or tensor is held in a top-level variable yet.';
const NO_RUNS = 'No training runs yet: optimizer steps, model.fit calls and history.log series show here.';
const NO_NOTEBOOK = 'Open a DL notebook to see its kernel.';

export function registerPanel(ctx: PanelContext): vscode.Disposable {
  const { kernels, log } = ctx;
  const disposables: vscode.Disposable[] = [];
  const keep = <T extends vscode.Disposable>(d: T): T => (disposables.push(d), d);

  const model = new PanelModel((message, err) => log.error(message, err));
  keep({ dispose: () => model.dispose() });
  const followed = keep(new FollowedNotebook());
  const kernel = () => (followed.current ? kernels.get(followed.current) : undefined);

  const parameters = keep(
    new SpecTreeView('dlnb.parameters', (): ViewContent => {
      const { hasNotebook, state, snapshot } = model.view;
      if (!hasNotebook) return { items: [] };
      const items = parameterItems(snapshot?.parameters ?? []);
      if (items.length) return { items };
      return { items, message: vscode.l10n.t(state === 'none' || state === 'dead' ? NO_KERNEL : NOTHING_HELD) };
    }),
  );
  const losses = keep(
    new SpecTreeView('dlnb.lossHistory', (): ViewContent => {
      const { hasNotebook, snapshot } = model.view;
      if (!hasNotebook) return { items: [] };
      const items = lossItems(snapshot?.runs ?? []);
      return items.length ? { items } : { items, message: vscode.l10n.t(NO_RUNS) };
    }),
  );
  const kernelView = keep(
    new SpecTreeView('dlnb.kernel', (): ViewContent => {
      const { hasNotebook, state, snapshot } = model.view;
      if (!hasNotebook) return { items: [], message: vscode.l10n.t(NO_NOTEBOOK) };
      return { items: kernelItems(state, snapshot?.kernel) };
    }),
  );
  const views = [parameters, losses, kernelView];

  const charts = keep(new LossCharts(ctx.extensionUri, log));
  const documents = keep(new ValuesDocuments());
  keep(
    registerPanelCommands({
      kernel,
      selected: (viewId) => (viewId === 'dlnb.parameters' ? parameters : losses).view.selection[0],
      run: (runId) => model.view.snapshot?.runs.find((r) => r.id === runId),
      documents,
      charts,
      log,
    }),
  );

  const modelChanged = model.onDidChange(() => {
    for (const view of views) view.refresh();
    const current = kernel();
    const runs = model.view.snapshot?.runs;
    if (current && runs) charts.runsChanged(current, runs);
  });
  keep({ dispose: () => modelChanged.dispose() });

  let hasNotebook: boolean | undefined;
  const follow = () => {
    const notebook = followed.current;
    model.follow(notebook !== undefined, notebook ? kernels.get(notebook) : undefined);
    if (hasNotebook === (notebook !== undefined)) return;
    hasNotebook = notebook !== undefined;
    void vscode.commands.executeCommand('setContext', 'dlnb.hasNotebook', hasNotebook);
  };

  // Live snapshots cost the kernel a little on every cell: ask for them only while seen.
  let live: boolean | undefined;
  const visibilityChanged = () => {
    const visible = views.some((v) => v.view.visible);
    model.setVisible(visible);
    if (visible !== live) kernels.setLivePanel((live = visible));
  };

  keep(followed.onDidChange(follow));
  keep(
    kernels.onDidChangeKernel((change) => {
      if (change.reason !== 'started' && change.kernel) charts.kernelEnded(change.kernel);
      if (change.notebook === followed.current) follow();
    }),
  );
  // A kernel is created on a notebook's first run and starts for a while: show it starting.
  keep(
    kernels.onDidChangeStatus((notebook) => {
      if (notebook === followed.current) follow();
    }),
  );
  keep(
    kernels.onDidExecuteCell(({ notebook }) => {
      if (notebook !== followed.current) return;
      follow(); // the first run creates the kernel
      model.requestSnapshot();
    }),
  );
  for (const view of views) keep(view.view.onDidChangeVisibility(visibilityChanged));

  follow();
  visibilityChanged();
  for (const view of views) view.refresh();
  return vscode.Disposable.from(...disposables.reverse());
}
