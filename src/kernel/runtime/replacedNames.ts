// Notices when a cell declares a top-level name again while its old value still holds
// tensors: `const x = tf.ones([256, 1])` run twice (or a new cell reusing `x`) leaves the
// first tensor allocated where no variable reaches it. Without this the cell's leak note
// blames "a tensor no variable holds", which the user cannot see or name.
import * as tf from '@tensorflow/tfjs';
import type { ReplacedName } from '../../shared/protocol';
import { reachableTensors, tensorBytes } from './heldTensors';

/** What a name held just before the cell that declares it again ran. */
export interface OldValue {
  name: string;
  value: unknown;
  fromCell?: number;
  tensors: Set<tf.Tensor>;
}

export class ReplacedNames {
  /** The cell that last declared each top-level name. */
  private readonly declaredIn = new Map<string, number>();

  /** Before the cell runs: the old values of the names it declares that hold tensors. */
  oldValues(names: readonly string[], scope: Record<string, unknown>): OldValue[] {
    const old: OldValue[] = [];
    for (const name of names) {
      const value = scope[name];
      // Kit modules are callable, so functions too.
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue;
      const tensors = reachableTensors([value]);
      if (tensors.size > 0) old.push({ name, value, fromCell: this.declaredIn.get(name), tensors });
    }
    return old;
  }

  /**
   * After the cell ran: the names whose value changed and whose old tensors are still
   * allocated but held by no top-level variable (`held`). Remembers who declared what.
   */
  replaced(
    cell: number,
    declared: readonly string[],
    old: readonly OldValue[],
    scope: Record<string, unknown>,
    held: ReadonlySet<tf.Tensor>,
  ): ReplacedName[] {
    const replaced: ReplacedName[] = [];
    for (const { name, value, fromCell, tensors } of old) {
      if (scope[name] === value) continue;
      const lost = [...tensors].filter((t) => !t.isDisposed && !held.has(t));
      if (lost.length === 0) continue;
      const dispose =
        typeof (value as { dispose?: unknown }).dispose === 'function' ? `${name}.dispose()` : `tf.dispose(${name})`;
      replaced.push({
        name,
        what: describe(value, tensors.size),
        fromCell,
        dispose,
        tensors: lost.length,
        bytes: tensorBytes(lost),
      });
    }
    for (const name of declared) this.declaredIn.set(name, cell);
    return replaced;
  }
}

/** "a [256,1] float32 tensor", "a Linear holding 2 tensors", "an array holding 3 tensors". */
export function describe(value: unknown, tensorCount: number): string {
  if (value instanceof tf.Tensor) return `a [${value.shape.join(',')}] ${value.dtype} tensor`;
  const holding = `holding ${tensorCount} ${tensorCount === 1 ? 'tensor' : 'tensors'}`;
  if (Array.isArray(value)) return `an array ${holding}`;
  if (value instanceof Map) return `a Map ${holding}`;
  const kind = (value as object).constructor?.name;
  if (!kind || kind === 'Object') return `an object ${holding}`;
  return `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind} ${holding}`;
}
