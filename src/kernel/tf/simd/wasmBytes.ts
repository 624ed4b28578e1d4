// A small WebAssembly encoder: just the opcodes and sections our SIMD kernels need (the
// matrix multiply, the column sum, the Adam and SGD steps). The kernels are generated as
// bytes at load time, so they need no compiler at build time and run the same in the
// kernel bundle, the command line and the tests.

export type Code = number[];

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

export function uleb(value: number): Code {
  const out: Code = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function sleb(value: number): Code {
  const out: Code = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function text(s: string): Code {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

function vector(items: Code[]): Code {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: Code): Code {
  return [id, ...uleb(body.length), ...body];
}

// ---- instructions (each returns its bytes, so code reads as nested calls) ----

export const localGet = (i: number): Code => [0x20, ...uleb(i)];
export const localSet = (i: number, ...value: Code[]): Code => [...value.flat(), 0x21, ...uleb(i)];
export const i32Const = (v: number): Code => [0x41, ...sleb(v | 0)];
export const i32Add = (x: Code, y: Code): Code => [...x, ...y, 0x6a];
export const i32Sub = (x: Code, y: Code): Code => [...x, ...y, 0x6b];
export const i32Mul = (x: Code, y: Code): Code => [...x, ...y, 0x6c];
export const i32Shl = (x: Code, y: Code): Code => [...x, ...y, 0x74];
/** Signed `x > y`, `x <= y`. */
export const i32GtS = (x: Code, y: Code): Code => [...x, ...y, 0x4a];
export const i32LeS = (x: Code, y: Code): Code => [...x, ...y, 0x4c];
export const i32Eqz = (x: Code): Code => [...x, 0x45];

/** `local[i] += step` */
export const increment = (i: number, step: Code): Code => localSet(i, i32Add(localGet(i), step));

/** Runs `body` while `condition` holds (checked first). */
export function whileLoop(condition: Code, body: Code[]): Code {
  // block { loop { br_if 1 (!condition); body; br 0 } }
  return [0x02, 0x40, 0x03, 0x40, ...i32Eqz(condition), 0x0d, 1, ...body.flat(), 0x0c, 0, 0x0b, 0x0b];
}

/**
 * Runs `body(true)` on four floats at a time, then `body(false)` on each float left, over
 * `count` floats; the local `at` holds the byte offset of the current one.
 */
export function overFloats(count: number, at: number, body: (vector: boolean) => Code[]): Code[] {
  const bytes = i32Shl(localGet(count), i32Const(2));
  return [
    localSet(at, i32Const(0)),
    whileLoop(i32LeS(i32Add(localGet(at), i32Const(16)), bytes), [...body(true), increment(at, i32Const(16))]),
    whileLoop(i32GtS(bytes, localGet(at)), [...body(false), increment(at, i32Const(4))]),
  ];
}

export function ifThen(condition: Code, then: Code[], otherwise?: Code[]): Code {
  const elseBranch = otherwise ? [0x05, ...otherwise.flat()] : [];
  return [...condition, 0x04, 0x40, ...then.flat(), ...elseBranch, 0x0b];
}

// Memory access: `align` is log2 of the alignment promised (a hint only), `offset` a constant byte offset.
export const f32Load = (address: Code, offset = 0): Code => [...address, 0x2a, 2, ...uleb(offset)];
export const f32Store = (address: Code, value: Code, offset = 0): Code => [...address, ...value, 0x38, 2, ...uleb(offset)];
export const f32Const = (v: number): Code => [0x43, ...new Uint8Array(new Float32Array([v]).buffer)];
export const f32Add = (x: Code, y: Code): Code => [...x, ...y, 0x92];
export const f32Mul = (x: Code, y: Code): Code => [...x, ...y, 0x94];
export const f32Max = (x: Code, y: Code): Code => [...x, ...y, 0x97];
export const f32Sub = (x: Code, y: Code): Code => [...x, ...y, 0x93];
export const f32Div = (x: Code, y: Code): Code => [...x, ...y, 0x95];
export const f32Sqrt = (x: Code): Code => [...x, 0x91];

const simd = (op: number): Code => [0xfd, ...uleb(op)];
export const v128Load = (address: Code, offset = 0): Code => [...address, ...simd(0x00), 0, ...uleb(offset)];
export const v128Store = (address: Code, value: Code, offset = 0): Code => [
  ...address,
  ...value,
  ...simd(0x0b),
  0,
  ...uleb(offset),
];
/** Loads one f32 into lane 0 and zeros the other three. */
export const v128Load32Zero = (address: Code, offset = 0): Code => [...address, ...simd(0x5c), 0, ...uleb(offset)];
/** A lane load or store: memory at `address` + `offset` and lane `lane` of `vector`. */
const laneAccess =
  (op: number) =>
  (address: Code, vector: Code, lane: number, offset = 0): Code => [...address, ...vector, ...simd(op), 0, ...uleb(offset), lane];
/** `vector` with lane `lane` loaded from memory (4 bytes). */
export const v128Load32Lane = laneAccess(0x56);
/** Stores lane `lane` of a 4 x f32 vector (4 bytes). */
export const v128Store32Lane = laneAccess(0x5a);
/** Stores lanes 2·`lane` and 2·`lane` + 1 of a 4 x f32 vector (8 bytes). */
export const v128Store64Lane = laneAccess(0x5b);
/** Loads one f32 and copies it into all four lanes. */
export const v128Load32Splat = (address: Code, offset = 0): Code => [...address, ...simd(0x09), 2, ...uleb(offset)];
export const f32x4Splat = (x: Code): Code => [...x, ...simd(0x13)];
/** Lane `lane` of a 4 x f32 vector, copied into all four lanes. */
export const f32x4Broadcast = (x: Code, lane: number): Code => {
  const bytes = [0, 1, 2, 3].map((i) => 4 * lane + i);
  return [...x, ...x, ...simd(0x0d), ...bytes, ...bytes, ...bytes, ...bytes];
};
export const f32x4Add = (x: Code, y: Code): Code => [...x, ...y, ...simd(0xe4)];
export const f32x4Mul = (x: Code, y: Code): Code => [...x, ...y, ...simd(0xe6)];
export const f32x4Max = (x: Code, y: Code): Code => [...x, ...y, ...simd(0xe9)];
export const f32x4Sub = (x: Code, y: Code): Code => [...x, ...y, ...simd(0xe5)];
export const f32x4Div = (x: Code, y: Code): Code => [...x, ...y, ...simd(0xe7)];
export const f32x4Sqrt = (x: Code): Code => [...x, ...simd(0xe3)];
/** a·b + c, fused where the CPU has FMA (relaxed SIMD). */
export const f32x4RelaxedMadd = (a: Code, b: Code, c: Code): Code => [...a, ...b, ...c, ...simd(0x105)];

export interface FunctionSpec {
  name: string;
  params: number[];
  /** Types of the locals after the parameters, in order. */
  locals: number[];
  body: Code[];
}

/** A module's sections apart from its memory import: generating them is the costly part. */
export interface EncodedFunctions {
  types: Code;
  functions: Code;
  exports: Code;
  bodies: Code;
}

/** Encodes the functions once, for one or more modules (see moduleBytes). */
export function encodeFunctions(functions: FunctionSpec[]): EncodedFunctions {
  const bodies = functions.map((f) => {
    const locals = vector(f.locals.map((t) => [1, t]));
    const code = [...locals, ...f.body.flat(), 0x0b];
    return [...uleb(code.length), ...code];
  });
  return {
    types: vector(functions.map((f) => [0x60, ...vector(f.params.map((t) => [t])), 0])),
    functions: vector(functions.map((_, i) => uleb(i))),
    exports: vector(functions.map((f, i) => [...text(f.name), 0x00, ...uleb(i)])),
    bodies: vector(bodies),
  };
}

/**
 * A module that imports its memory as env.memory and exports the encoded functions. With
 * `sharedMaxPages` the memory it imports is a shared one of at most that many 64 kB pages
 * (one that two threads use at once).
 */
export function moduleBytes(encoded: EncodedFunctions, sharedMaxPages?: number): Uint8Array {
  const limits = sharedMaxPages === undefined ? [0x00, ...uleb(1)] : [0x03, ...uleb(1), ...uleb(sharedMaxPages)];
  const memoryImport = [...text('env'), ...text('memory'), 0x02, ...limits];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, encoded.types),
    ...section(2, vector([memoryImport])),
    ...section(3, encoded.functions),
    ...section(7, encoded.exports),
    ...section(10, encoded.bodies),
  ]);
}
