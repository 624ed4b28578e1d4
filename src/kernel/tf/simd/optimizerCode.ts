// Optimizer steps over a variable, four values at a time, each reading its inputs once
// and writing new tensors; the arithmetic is tfjs's, in float32.
//
// SGD: value' = value + (-lr)·g.
// Adam: reads the value, both moments and the gradient, writes the new three:
//   m' = m·β₁ + g·(1-β₁)      v' = v·β₂ + g²·(1-β₂)
//   value' = value - lr · (m' / c₁) / (√(v' / c₂) + ε),   cᵢ = 1 - βᵢᵗ
import {
  type Code,
  F32,
  f32Add,
  f32Div,
  f32Load,
  f32Mul,
  f32Sqrt,
  f32Store,
  f32Sub,
  f32x4Add,
  f32x4Div,
  f32x4Mul,
  f32x4Splat,
  f32x4Sqrt,
  f32x4Sub,
  type FunctionSpec,
  I32,
  i32Add,
  localGet,
  localSet,
  overFloats,
  V128,
  v128Load,
  v128Store,
} from './wasmBytes';

// Parameters: addresses (value, m, v, gradient, then the three outputs), the count, and
// the settings as float32.
const [VALUE, M, V, G, VALUE_OUT, M_OUT, V_OUT, COUNT] = [0, 1, 2, 3, 4, 5, 6, 7];
const SETTINGS = ['beta1', 'beta2', 'keep1', 'keep2', 'lr', 'c1', 'c2', 'epsilon'] as const;
const setting = (name: (typeof SETTINGS)[number]) => 8 + SETTINGS.indexOf(name);
// Locals: the element offset in bytes, then the settings splatted to 4 lanes, then m', v'
// for four elements, then for one.
const AT = 16;
const splatted = (name: (typeof SETTINGS)[number]) => 17 + SETTINGS.indexOf(name);
const [M_NEXT_VECTOR, V_NEXT_VECTOR] = [25, 26];
const [M_NEXT_SCALAR, V_NEXT_SCALAR] = [27, 28];

/** The update of one element (scalar) or four (vector), at byte offset AT. */
function update(vector: boolean): Code[] {
  const at = (base: number) => i32Add(localGet(base), localGet(AT));
  const load = (base: number) => (vector ? v128Load(at(base)) : f32Load(at(base)));
  const store = (base: number, value: Code) => (vector ? v128Store(at(base), value) : f32Store(at(base), value));
  const s = (name: (typeof SETTINGS)[number]) => localGet(vector ? splatted(name) : setting(name));
  const [add, sub, mul, div, sqrt] = vector
    ? [f32x4Add, f32x4Sub, f32x4Mul, f32x4Div, f32x4Sqrt]
    : [f32Add, f32Sub, f32Mul, f32Div, f32Sqrt];
  const [mNext, vNext] = vector ? [M_NEXT_VECTOR, V_NEXT_VECTOR] : [M_NEXT_SCALAR, V_NEXT_SCALAR];
  return [
    localSet(mNext, add(mul(load(M), s('beta1')), mul(load(G), s('keep1')))),
    localSet(vNext, add(mul(load(V), s('beta2')), mul(mul(load(G), load(G)), s('keep2')))),
    store(M_OUT, localGet(mNext)),
    store(V_OUT, localGet(vNext)),
    store(
      VALUE_OUT,
      sub(load(VALUE), mul(s('lr'), div(div(localGet(mNext), s('c1')), add(sqrt(div(localGet(vNext), s('c2'))), s('epsilon'))))),
    ),
  ];
}

/** The exported function `adam_step(value, m, v, g, valueOut, mOut, vOut, count, β₁, β₂, 1-β₁, 1-β₂, lr, c₁, c₂, ε)`. */
export function adamStepFunction(): FunctionSpec {
  return {
    name: 'adam_step',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, F32, F32, F32],
    locals: [I32, V128, V128, V128, V128, V128, V128, V128, V128, V128, V128, F32, F32],
    body: [
      ...SETTINGS.map((name) => localSet(splatted(name), f32x4Splat(localGet(setting(name))))),
      ...overFloats(COUNT, AT, update),
    ],
  };
}

/** The exported function `sgd_step(value, g, valueOut, count, -lr)`. */
export function sgdStepFunction(): FunctionSpec {
  const [value, g, out, count, scale] = [0, 1, 2, 3, 4];
  const [at, scaleVector] = [5, 6];
  const address = (base: number) => i32Add(localGet(base), localGet(at));
  const step = (vector: boolean): Code[] => [
    vector
      ? v128Store(address(out), f32x4Add(f32x4Mul(localGet(scaleVector), v128Load(address(g))), v128Load(address(value))))
      : f32Store(address(out), f32Add(f32Mul(localGet(scale), f32Load(address(g))), f32Load(address(value)))),
  ];
  return {
    name: 'sgd_step',
    params: [I32, I32, I32, I32, F32],
    locals: [I32, V128],
    body: [localSet(scaleVector, f32x4Splat(localGet(scale))), ...overFloats(count, at, step)],
  };
}
