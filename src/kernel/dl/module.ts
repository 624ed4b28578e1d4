// The base of every network piece, like torch.nn.Module: parameters and child modules
// are found by looking at the object's own fields, so a subclass only assigns them.
// A module is callable, `model(x)` being `model.forward(x)` as in PyTorch: the constructor
// returns a function whose prototype is the class's, so fields, methods and `instanceof`
// work as on any object, and the interface below gives the call `forward`'s own types.
import type * as tf from '@tensorflow/tfjs';
import { Parameter } from './parameter';

// The class and this interface are one on purpose: the interface adds the call signature.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Module {
  /** Runs `forward` with these inputs: `model(x)` is `model.forward(x)`. */
  (...inputs: Parameters<this['forward']>): ReturnType<this['forward']>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Module {
  /** Set by `train()` / `eval()`; layers that behave differently in training read it. */
  declare training: boolean;

  constructor() {
    // An arrow function: no own `prototype`. Its own `name` and `length` are deleted so a
    // subclass's fields of those names (and Sequential's length) are plain fields.
    const callable = ((...inputs: unknown[]) => (callable as Module).forward(...inputs)) as unknown as Module;
    delete (callable as { name?: string }).name;
    delete (callable as { length?: number }).length;
    Object.setPrototypeOf(callable, new.target.prototype);
    callable.training = true;
    return callable;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forward(..._inputs: any[]): tf.Tensor {
    throw new Error(`${this.constructor.name} is missing the required forward() method`);
  }

  /**
   * Child modules in the order they were assigned, with their field names. An array of
   * modules counts too, named like PyTorch's ModuleList: `layers.0`, `layers.1`.
   */
  namedChildren(): [string, Module][] {
    const children: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) children.push([key, value]);
      else if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof Module)) {
        value.forEach((child: Module, i) => children.push([`${key}.${i}`, child]));
      }
    }
    return children;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** Own parameters first, then each child's with a dotted prefix: `0.weight`, `fc1.bias`. */
  namedParameters(prefix = ''): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const named: [string, Parameter][] = [];
    const visit = (module: Module, path: string): void => {
      for (const [key, value] of Object.entries(module)) {
        if (value instanceof Parameter && !seen.has(value)) {
          seen.add(value);
          named.push([path + key, value]);
        }
      }
      for (const [key, child] of module.namedChildren()) visit(child, `${path}${key}.`);
    };
    visit(this, prefix ? `${prefix}.` : '');
    return named;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  train(mode = true): this {
    this.training = mode;
    for (const child of this.children()) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient, like `model.zero_grad()`. */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Releases the parameters' variables (tfjs memory is not garbage collected). */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
  }

  /** The settings shown inside the parentheses of `toString()`. */
  protected extraRepr(): string {
    return '';
  }

  toString(): string {
    const children = this.namedChildren();
    if (children.length === 0) return `${this.constructor.name}(${this.extraRepr()})`;
    const lines = children.map(([name, child]) => `  (${name}): ${child.toString().replace(/\n/g, '\n  ')}`);
    return `${this.constructor.name}(\n${lines.join('\n')}\n)`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
