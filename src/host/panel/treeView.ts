// The thin VS Code side of a panel view: owns its TreeView and change emitter, and shows
// the TreeItemSpecs its `build` function makes from the panel model.
import * as vscode from 'vscode';
import type { Collapsible, TreeItemSpec } from './treeItemSpec';

const COLLAPSIBLE: Record<Collapsible, vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export interface ViewContent {
  items: TreeItemSpec[];
  /** Shown above the rows; leave undefined so the view's welcome can show when it is empty. */
  message?: string;
}

export class SpecTreeView implements vscode.TreeDataProvider<TreeItemSpec>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TreeItemSpec>;
  private items: TreeItemSpec[] = [];
  private shown: string | undefined;

  constructor(
    viewId: string,
    private readonly build: () => ViewContent,
  ) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: viewId === 'dlnb.parameters' });
  }

  /** Rebuilds the rows; VS Code is asked to redraw only when they changed. */
  refresh(): void {
    const content = this.build();
    const text = JSON.stringify(content);
    if (text === this.shown) return;
    this.shown = text;
    this.items = content.items;
    if (this.view.message !== content.message) this.view.message = content.message;
    this.changed.fire();
  }

  getTreeItem(spec: TreeItemSpec): vscode.TreeItem {
    const item = new vscode.TreeItem(spec.label, COLLAPSIBLE[spec.collapsible]);
    item.id = spec.id;
    item.description = spec.description;
    if (spec.tooltip) item.tooltip = new vscode.MarkdownString(spec.tooltip);
    item.contextValue = spec.contextValue;
    if (spec.icon) item.iconPath = new vscode.ThemeIcon(spec.icon);
    if (spec.command) item.command = { ...spec.command, arguments: [spec] };
    return item;
  }

  getChildren(spec?: TreeItemSpec): TreeItemSpec[] {
    return spec ? (spec.children ?? []) : this.items;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}
