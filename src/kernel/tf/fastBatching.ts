// Faster batch slicing for the wasm backend: what a training loop does once per batch.
//
// The wasm `Slice` kernel first copies the *whole* input out of wasm memory (readSync),
// then picks the slice: `x.slice([start, 0], [256, 100])` on a 20,000-row dataset copies
// 8 MB to take 100 kB, ~5 ms per batch. `GatherV2` (model.fit's batching, `tf.gather`)
// runs a generic strided loop, ~2 ms for 256 rows of 100. Here both read wasm memory in
// place and copy whole rows:
//   - Slice: any contiguous slice, and row-by-row slices of rank 2;
//   - GatherV2: axis 0 without batch dims (rows picked by index).
// Everything else goes to the backend's own kernel.
// The wasm backend also lacks `UnsortedSegmentSum`, the kernel of gather's gradient, so
// training through tf.gather (embeddings) failed on wasm; we register a JS one.
import * as tf from '@tensorflow/tfjs';
import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs';
import { overrideWasmKernel, restoreWasmKernels, sizeOf, type KernelArgs, type KernelFn } from './kernelOverride';
import { heapViews, isWasmBackend, makeOutput, type HeapValues } from './wasmBackend';

/** The wasm kernels this module replaces. */
export const BATCHING_KERNELS = ['Slice', 'GatherV2'] as const;

function asWasmBackend(args: KernelArgs): KernelBackend | undefined {
  return isWasmBackend(args.backend) ? args.backend : undefined;
}

const NUMERIC: ReadonlySet<DataType> = new Set<DataType>(['float32', 'int32', 'bool']);

export function registerFastBatching(): void {
  overrideWasmKernel('Slice', makeFastSlice);
  overrideWasmKernel('GatherV2', makeFastGather);
  // Only where the wasm backend is loaded and still has no kernel of its own.
  if (tf.getKernel('GatherV2', 'wasm') !== undefined && tf.getKernel('UnsortedSegmentSum', 'wasm') === undefined) {
    tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum as tf.KernelFunc });
  }
}

export function unregisterFastBatching(): void {
  restoreWasmKernels(BATCHING_KERNELS);
}

function makeFastSlice(original: KernelFn): KernelFn {
  return (args) => {
    const backend = asWasmBackend(args);
    const x = (args.inputs as { x: TensorInfo }).x;
    if (!backend || !NUMERIC.has(x.dtype)) return original(args);
    const attrs = args.attrs as { begin: number | number[]; size?: number | number[] };
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size);
    const contiguous = tf.slice_util.isSliceContinous(x.shape, begin, size);
    if (sizeOf(size) === 0 || (!contiguous && x.shape.length !== 2)) return original(args);

    // makeOutput may grow wasm memory, which detaches older views: take views after it.
    const out = makeOutput(backend, size, x.dtype);
    const [from, to] = heapViews(backend, [x, out]);
    const strides = tf.util.computeStrides(x.shape);
    if (contiguous) {
      const offset = tf.slice_util.computeFlatOffset(begin, strides);
      to.set(from.subarray(offset, offset + to.length));
    } else {
      const [rows, cols] = size;
      for (let r = 0; r < rows; r++) copyRow(from, (begin[0] + r) * strides[0] + begin[1], to, r * cols, cols);
    }
    return out;
  };
}

function makeFastGather(original: KernelFn): KernelFn {
  return (args) => {
    const backend = asWasmBackend(args);
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const attrs = args.attrs as { axis: number; batchDims?: number };
    if (!backend || !NUMERIC.has(x.dtype) || indices.dtype !== 'int32' || (attrs.batchDims ?? 0) !== 0) {
      return original(args);
    }
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
    if (axis !== 0 || x.shape.length === 0) return original(args);
    const rowSize = sizeOf(x.shape.slice(1));
    const rowCount = x.shape[0];
    const outShape = [...indices.shape, ...x.shape.slice(1)];
    if (sizeOf(outShape) === 0) return original(args);

    const out = makeOutput(backend, outShape, x.dtype);
    const [from, to, picks] = heapViews(backend, [x, out, indices]);
    for (let i = 0; i < picks.length; i++) {
      const row = picks[i];
      if (!(row >= 0 && row < rowCount)) {
        (args.backend as { disposeData(id: unknown): void }).disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${row} is not in [0, ${rowCount - 1}]`);
      }
      copyRow(from, row * rowSize, to, i * rowSize, rowSize);
    }
    return out;
  };
}

type Values = HeapValues;

/** Short rows element by element: a subarray per row costs more than the copy itself. */
function copyRow(from: Values, fromOffset: number, to: Values, toOffset: number, length: number): void {
  if (length >= 16) {
    to.set(from.subarray(fromOffset, fromOffset + length), toOffset);
    return;
  }
  for (let k = 0; k < length; k++) to[toOffset + k] = from[fromOffset + k];
}

/**
 * out[s] = sum of the rows x[i] whose segment id is s; ids outside [0, numSegments) are
 * dropped, as in TensorFlow. Sums in float32 like the cpu backend.
 */
function unsortedSegmentSum(args: KernelArgs): TensorInfo {
  const backend = asWasmBackend(args);
  if (!backend) throw new Error('UnsortedSegmentSum: not the wasm backend');
  const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const numSegments = Number((args.attrs as { numSegments: number }).numSegments);
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`UnsortedSegmentSum: ${x.dtype} is not supported`);
  if (segmentIds.dtype !== 'int32') throw new Error('UnsortedSegmentSum: segmentIds must be int32');
  const idRank = segmentIds.shape.length;
  if (x.shape.slice(0, idRank).join() !== segmentIds.shape.join()) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape ${segmentIds.shape} must prefix x shape ${x.shape}`);
  }
  const rowShape = x.shape.slice(idRank);
  const rowSize = sizeOf(rowShape);
  const out = makeOutput(backend, [numSegments, ...rowShape], x.dtype);
  const [from, ids, to] = heapViews(backend, [x, segmentIds, out]);
  to.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i];
    if (!(segment >= 0 && segment < numSegments)) continue;
    const fromOffset = i * rowSize;
    const toOffset = segment * rowSize;
    for (let k = 0; k < rowSize; k++) to[toOffset + k] += from[fromOffset + k];
  }
  return out;
}
