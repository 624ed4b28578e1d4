// The one place that switches dlnb's fast wasm kernels on and off: the matrix multiply
// (fastMatMul.ts) and the batch slicing that feeds it in a training loop (fastBatching.ts),
// float32 elementwise arithmetic (fastElementwise.ts), the bias-gradient sum
// (fastReductions.ts), the one-pass Adam and SGD steps (fastAdam.ts, fastSgd.ts), the
// copy-free clones and casts (sharedIdentity.ts) and the tensors saved for gradients
// without a dispatch each (savedTensors.ts), the gradient tape walked with Maps and Sets
// (tapeWalk.ts), the engine's per-op methods without their redundant work (leanEngine.ts),
// a loss's sum gradient as a fill (sumGradient.ts) and a squared difference's gradient in
// one pass (squaredDifferenceGradient.ts). The notebook kernel registers them all at
// start-up; benchmarks switch them off to compare with stock tfjs.
import { registerFastAdam, unregisterFastAdam } from './fastAdam';
import { BATCHING_KERNELS, registerFastBatching, unregisterFastBatching } from './fastBatching';
import { ELEMENTWISE_KERNELS, registerFastElementwise, unregisterFastElementwise } from './fastElementwise';
import { MATMUL_KERNELS, registerFastMatMul, unregisterFastMatMul } from './fastMatMul';
import { REDUCTION_KERNELS, registerFastReductions, unregisterFastReductions } from './fastReductions';
import { registerFastSgd, unregisterFastSgd } from './fastSgd';
import { registerDirectSavedTensors, unregisterDirectSavedTensors } from './savedTensors';
import { registerSquaredDifferenceGradient, unregisterSquaredDifferenceGradient } from './squaredDifferenceGradient';
import { registerSumGradient, unregisterSumGradient } from './sumGradient';
import { registerTapeWalk, unregisterTapeWalk } from './tapeWalk';
import { registerLeanEngine, unregisterLeanEngine } from './leanEngine';
import { isOverridden } from './kernelOverride';
import { IDENTITY_KERNELS, registerSharedIdentity, unregisterSharedIdentity } from './sharedIdentity';

/** Every backend kernel replaced by one of ours (the optimizers patch methods, not kernels). */
const REPLACED_KERNELS = [
  ...MATMUL_KERNELS,
  ...ELEMENTWISE_KERNELS,
  ...BATCHING_KERNELS,
  ...REDUCTION_KERNELS,
  ...IDENTITY_KERNELS,
];

/**
 * Registers every fast kernel and routes the Adam and SGD optimizers through theirs.
 * Call after the wasm backend is set. Idempotent; does nothing for kernels the wasm
 * backend does not have.
 */
export function registerFastWasmKernels(): void {
  registerFastMatMul();
  registerFastElementwise();
  registerFastBatching();
  registerFastReductions();
  registerFastAdam();
  registerFastSgd();
  registerSharedIdentity();
  registerDirectSavedTensors();
  registerTapeWalk();
  registerLeanEngine();
  registerSumGradient();
  registerSquaredDifferenceGradient();
}

/** Puts the backend's own kernels and tfjs's own optimizer steps back (benchmarks compare both). */
export function unregisterFastWasmKernels(): void {
  unregisterFastMatMul();
  unregisterFastElementwise();
  unregisterFastBatching();
  unregisterFastReductions();
  unregisterFastAdam();
  unregisterFastSgd();
  unregisterSharedIdentity();
  unregisterDirectSavedTensors();
  unregisterTapeWalk();
  unregisterLeanEngine();
  unregisterSumGradient();
  unregisterSquaredDifferenceGradient();
}

/** Whether every wasm kernel we replace is ours, as `registerFastWasmKernels` leaves them. */
export function areFastWasmKernelsRegistered(): boolean {
  return REPLACED_KERNELS.every(isOverridden);
}
