// What a tree row shows, as plain data: the tree modules build these from a snapshot and
// are tested without VS Code; treeView.ts turns them into vscode.TreeItems.

export type Collapsible = 'none' | 'collapsed' | 'expanded';

export interface TreeItemSpec {
  /** Unique in its view and stable across refreshes, so VS Code keeps expansion and selection. */
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  /** Drives the view's menus (package.json `viewItem == ...`). */
  contextValue?: string;
  /** A codicon id, e.g. `symbol-array`. */
  icon?: string;
  collapsible: Collapsible;
  children?: TreeItemSpec[];
  /** Run on click. */
  command?: { command: string; title: string };
  /** What commands invoked on this row act on (a parameter id, a run id). */
  target?: string;
}

export function collapsibleFor(children: unknown[] | undefined, expanded = false): Collapsible {
  if (!children?.length) return 'none';
  return expanded ? 'expanded' : 'collapsed';
}
