// Activation: create the log first, then build each module and hand it to VS Code to
// dispose. Nothing heavy loads here: tfjs and TypeScript live in the kernel worker, Vega
// in the renderer.
import * as vscode from 'vscode';
import { CONTROLLER_ID, DlnbController, NOTEBOOK_TYPE } from './host/controller';
import { registerCommands } from './host/commands';
import { CellMemoryStore, registerCellMemoryStatus } from './host/execution/cellMemoryStatus';
import { describeError } from './host/format';
import { kernelFactory } from './host/kernel/kernelFactory';
import { KernelManager } from './host/kernel/kernelManager';
import { registerKernelNotifications } from './host/kernel/kernelNotifications';
import { startKernelsOnOpen } from './host/kernel/startOnOpen';
import { KernelStatusView } from './host/kernelStatus';
import { createLog } from './host/log';
import { registerLanguageFeatures } from './host/language';
import { registerPanel } from './host/panel';
import { DlnbSerializer } from './host/serializer';

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  const keep = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  keep(log);
  try {
    const saveOutputs = () => vscode.workspace.getConfiguration('dlnb').get<boolean>('saveOutputs', true);
    const serializer = new DlnbSerializer(log, saveOutputs);
    keep(vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, serializer, { transientOutputs: false }));
    const kernels = keep(new KernelManager(kernelFactory(context.extensionUri, context.globalStorageUri), log));
    const cellMemory = keep(new CellMemoryStore());
    keep(registerCellMemoryStatus(cellMemory));
    const controller = keep(new DlnbController(kernels, cellMemory, log));
    keep(new KernelStatusView(kernels, controller));
    keep(registerKernelNotifications(kernels, log));
    keep(startKernelsOnOpen(kernels, log));
    keep(registerCommands({ kernels, controller, serializer, log, extensionUri: context.extensionUri }));
    keep(registerPanel({ kernels, log, extensionUri: context.extensionUri }));
    keep(registerLanguageFeatures(context.extensionUri, log));
    log.info(`dlnb ${context.extension.packageJSON.version} activated; controller ${CONTROLLER_ID}`);
  } catch (err) {
    log.error('dlnb could not start', err);
    const showLog = 'Show Log';
    void vscode.window.showErrorMessage(`dlnb could not start: ${describeError(err)}`, showLog).then((choice) => {
      if (choice === showLog) log.show();
    });
  }
}

export function deactivate(): void {
  // Everything, kernels included, is disposed through context.subscriptions.
}
