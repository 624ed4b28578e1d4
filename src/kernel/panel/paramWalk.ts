// Finds the models and tensors held in a notebook's top-level variables and lays them out
// as the Parameters tree: models -> layers -> weights, kit modules -> parameters (grouped
// by their dotted names), variables and tensors. Only shapes and names here; no data read.
import type { ParamNode } from '../../shared/protocol';
import { isSummarizable, modelSummary } from './modelSummary';
import {
  isModel,
  isModule,
  isTensor,
  isVariable,
  underlyingTensor,
  type LayerLike,
  type ModelLike,
  type ModuleLike,
  type TensorLike,
} from './tensorLike';

/** Most nodes one snapshot holds, so a pathological model cannot flood the panel. */
export const MAX_NODES = 5000;
/** Models nested as layers are walked this deep. */
const MAX_MODEL_DEPTH = 4;

export interface ParamLeaf {
  node: ParamNode;
  tensor: TensorLike;
}

export interface ParamTree {
  roots: ParamNode[];
  /** Every tensor leaf in tree order, for reading stats or values. */
  leaves: ParamLeaf[];
}

class TreeBuilder {
  readonly leaves: ParamLeaf[] = [];
  private nodes = 0;

  get full(): boolean {
    return this.nodes >= MAX_NODES;
  }

  count(): void {
    this.nodes++;
  }

  leaf(id: string, label: string, tensor: TensorLike): ParamNode | undefined {
    if (tensor.isDisposed || this.full) return undefined;
    this.count();
    const node: ParamNode = {
      id,
      label,
      kind: isVariable(tensor) ? 'variable' : 'tensor',
      shape: [...tensor.shape],
      dtype: tensor.dtype,
    };
    this.leaves.push({ node, tensor });
    return node;
  }

  model(id: string, label: string, model: ModelLike, depth: number): ParamNode {
    this.count();
    const children: ParamNode[] = [];
    for (const layer of model.layers) {
      if (this.full) break;
      children.push(this.layer(`${id}/${layer.name}`, layer, depth));
    }
    return { id, label, kind: 'model', children };
  }

  private layer(id: string, layer: LayerLike, depth: number): ParamNode {
    if (isModel(layer) && depth < MAX_MODEL_DEPTH) return this.model(id, layer.name, layer, depth + 1);
    this.count();
    const children: ParamNode[] = [];
    for (const weight of layer.weights ?? []) {
      const tensor = underlyingTensor(weight);
      if (!tensor) continue;
      const name = weightName(weight, layer.name);
      const node = this.leaf(`${id}/${name}`, name, tensor);
      if (node) children.push(node);
    }
    return { id, label: layer.name, kind: 'layer', children };
  }

  /** Parameters named `0.weight`, `0.bias` become a `0` group holding `weight` and `bias`. */
  module(id: string, label: string, module: ModuleLike): ParamNode {
    this.count();
    const root: ParamNode = { id, label, kind: 'module', children: [] };
    const groups = new Map<string, ParamNode>([['', root]]);
    for (const [name, parameter] of module.namedParameters()) {
      const tensor = underlyingTensor(parameter);
      if (!tensor) continue;
      const parts = name.split('.');
      let parent = root;
      for (let i = 1; i < parts.length; i++) {
        const prefix = parts.slice(0, i).join('.');
        let group = groups.get(prefix);
        if (!group) {
          if (this.full) return root;
          this.count();
          group = { id: `${id}/${prefix}`, label: parts[i - 1], kind: 'module', children: [] };
          groups.set(prefix, group);
          parent.children!.push(group);
        }
        parent = group;
      }
      const node = this.leaf(`${id}/${name}`, parts[parts.length - 1], tensor);
      if (node) parent.children!.push(node);
    }
    return root;
  }
}

/** A layer weight's name relative to its layer: `kernel` for `dense_Dense1/kernel`. */
function weightName(weight: unknown, layerName: string): string {
  const w = weight as { originalName?: unknown; name?: unknown };
  const full = String(w.originalName ?? w.name ?? 'weight');
  const prefix = `${layerName}/`;
  const at = full.lastIndexOf(prefix);
  return at >= 0 ? full.slice(at + prefix.length) : full;
}

/** Names the runtime defines for itself; not the user's variables. */
function isInternal(name: string): boolean {
  return name.startsWith('__');
}

export function walkParameters(userGlobals: Iterable<[string, unknown]>): ParamTree {
  const builder = new TreeBuilder();
  const roots: ParamNode[] = [];
  for (const [name, value] of userGlobals) {
    if (builder.full) break;
    // Kit modules are functions (they are callable), so functions are looked at too.
    if (isInternal(name) || value === null || (typeof value !== 'object' && typeof value !== 'function')) continue;
    let node: ParamNode | undefined;
    try {
      if (isTensor(value)) node = builder.leaf(name, name, value);
      else if (isModel(value)) node = builder.model(name, name, value, 0);
      // A module without parameters (a loss function, an activation) has nothing to show.
      else if (isModule(value)) node = builder.module(name, name, value);
      if (node && isSummarizable(value)) node.summary = modelSummary(value);
    } catch {
      // A half-built or disposed model can throw from its getters; leave it out.
      node = undefined;
    }
    if (node && !(node.kind === 'module' && node.children?.length === 0)) roots.push(node);
  }
  return { roots, leaves: builder.leaves };
}
