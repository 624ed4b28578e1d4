// The Kernel view's rows: state, backend, live tensors and bytes, and the cells that left
// tensors allocated. Pure.
import type { KernelState } from '../../kernel-client/types';
import type { KernelSummary } from '../../shared/protocol';
import { formatBytes } from '../format';
import { plural } from './panelFormat';
import type { TreeItemSpec } from './treeItemSpec';

export const KERNEL_CONTEXT = { state: 'kernelState', memory: 'kernelMemory', leaks: 'kernelLeaks', leak: 'cellLeak' } as const;

const STATE_TEXT: Record<KernelState | 'none', string> = {
  none: 'not started: run a cell to start it',
  starting: 'starting…',
  idle: 'idle',
  busy: 'running a cell',
  dead: 'stopped',
};

export function kernelItems(state: KernelState | 'none', summary: KernelSummary | undefined): TreeItemSpec[] {
  const items: TreeItemSpec[] = [
    {
      id: 'kernel:state',
      label: 'State',
      description: STATE_TEXT[state],
      contextValue: KERNEL_CONTEXT.state,
      icon: 'pulse',
      collapsible: 'none',
    },
  ];
  if (!summary) return items;
  items.push(
    { id: 'kernel:backend', label: 'Backend', description: summary.backend, icon: 'chip', collapsible: 'none' },
    {
      id: 'kernel:memory',
      label: 'Tensors',
      description: `${plural(summary.numTensors, 'tensor')} · ${formatBytes(summary.numBytes)}`,
      tooltip: 'Tensors alive in the kernel now, and the bytes their data holds (tf.memory()).',
      contextValue: KERNEL_CONTEXT.memory,
      icon: 'database',
      collapsible: 'none',
    },
  );
  const leaks = [...summary.leaks].sort((a, b) => a.cell - b.cell);
  const children = leaks.map<TreeItemSpec>((leak) => {
    // Names the cell declared again get the blame by name: that is what the user can fix.
    const names = leak.replaced?.map((r) => r.name) ?? [];
    const replacedText = (leak.replaced ?? []).map(
      (r) =>
        ` \`${r.name}\` (${r.what}${r.fromCell === undefined ? '' : ` from cell ${r.fromCell}`}) was replaced while its tensors were still allocated; ${r.dispose} frees them.`,
    );
    return {
      id: `kernel:leak/${leak.cell}`,
      label: `Cell ${leak.cell}`,
      description: `${names.length ? `${names.join(', ')} · ` : ''}${plural(leak.tensors, 'tensor')} · ${formatBytes(leak.bytes)}`,
      tooltip:
        `Cell ${leak.cell} left ${plural(leak.tensors, 'tensor')} (${formatBytes(leak.bytes)}) allocated when it last ran.` +
        replacedText.join('') +
        ' Wrap temporary work in tf.tidy(() => ...) or dispose what it creates.',
      contextValue: KERNEL_CONTEXT.leak,
      icon: 'warning',
      collapsible: 'none',
    };
  });
  items.push({
    id: 'kernel:leaks',
    label: 'Leaked tensors',
    description: children.length ? `${plural(children.length, 'cell')}` : 'none',
    contextValue: KERNEL_CONTEXT.leaks,
    icon: children.length ? 'warning' : 'pass',
    collapsible: children.length ? 'expanded' : 'none',
    children,
  });
  return items;
}
