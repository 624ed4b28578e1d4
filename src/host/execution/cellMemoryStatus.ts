// The tensor count a cell's last run left behind, shown in the cell's status bar
// ("+3 tensors") so a leak is visible beside the run time.
import * as vscode from 'vscode';
import type { MemoryReport } from '../../shared/protocol';
import { tensorDeltaLabel, tensorDeltaTooltip } from '../format';

export class CellMemoryStore implements vscode.NotebookCellStatusBarItemProvider, vscode.Disposable {
  private readonly reports = new Map<string, MemoryReport>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCellStatusBarItems = this.changed.event;

  set(cell: vscode.NotebookCell, memory: MemoryReport): void {
    this.reports.set(cell.document.uri.toString(), memory);
    this.changed.fire();
  }

  /** Forgets a closed notebook's cells. */
  forget(notebook: vscode.NotebookDocument): void {
    for (const cell of notebook.getCells()) this.reports.delete(cell.document.uri.toString());
    this.changed.fire();
  }

  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    const memory = this.reports.get(cell.document.uri.toString());
    const label = memory && tensorDeltaLabel(memory);
    if (!memory || !label) return [];
    const item = new vscode.NotebookCellStatusBarItem(`$(symbol-array) ${label}`, vscode.NotebookCellStatusBarAlignment.Right);
    item.tooltip = tensorDeltaTooltip(memory);
    return [item];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function registerCellMemoryStatus(store: CellMemoryStore): vscode.Disposable {
  return vscode.Disposable.from(vscode.notebooks.registerNotebookCellStatusBarItemProvider('dlnb', store), store);
}
