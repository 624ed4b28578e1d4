// Builds a notebook's kernel from the settings in effect for it and the files shipped in
// the extension (the worker bundle and the wasm binaries).
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createKernel } from '../../kernel-client';
import type { KernelFactory } from './kernelManager';
import { notebookDirFor, readKernelSettings } from './settings';

/** Where a notebook's packages resolve from, for the kernel and the language service alike. */
export function notebookFolder(notebook: vscode.NotebookDocument): string {
  const folder = vscode.workspace.getWorkspaceFolder(notebook.uri) ?? vscode.workspace.workspaceFolders?.[0];
  return notebookDirFor(
    {
      scheme: notebook.uri.scheme,
      fsPath: notebook.uri.fsPath,
      workspaceFolder: folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
      home: os.homedir(),
    },
    path.dirname,
  );
}

/** `storageUri` (the extension's global storage) keeps the kernel's caches across restarts. */
export function kernelFactory(extensionUri: vscode.Uri, storageUri?: vscode.Uri): KernelFactory {
  return (notebook, livePanel) => {
    // The dlnb settings are window-scoped (one kernel setup per window), not per file.
    const config = vscode.workspace.getConfiguration('dlnb');
    const settings = readKernelSettings((key) => config.get(key));
    const notebookDir = notebookFolder(notebook);
    return createKernel({
      workerPath: vscode.Uri.joinPath(extensionUri, 'dist', 'kernel.js').fsPath,
      wasmDir: vscode.Uri.joinPath(extensionUri, 'dist', 'wasm').fsPath,
      notebookDir,
      backend: settings.backend,
      memoryLimitMb: settings.memoryLimitMb,
      memoryLimitSetting: 'setting dlnb.kernelMemoryLimitMb',
      maxOutputChars: settings.maxOutputChars,
      chartMaxPoints: settings.chartMaxPoints,
      secondCore: settings.useSecondCore,
      livePanel,
      cacheDir: storageUri?.scheme === 'file' ? storageUri.fsPath : undefined,
    });
  };
}
