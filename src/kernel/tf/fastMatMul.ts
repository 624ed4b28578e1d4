// Faster matrix multiplies for the wasm backend.
//
// Float32 products, transposed or not, batched or not, with a per-column bias and relu,
// run on our own SIMD kernel (simd/gemmProduct.ts): XNNPACK re-packs B for every new B,
// which in training is every call. The rest (other dtypes, PReLU and other fused
// activations, mixed batch broadcasting, or the SIMD kernel switched off) goes to the
// backend's own kernels, by way of the rewrites in xnnpackMatMul.ts.
// Every path matches the cpu backend to float rounding (test/unit/fastMatMul.test.ts).
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { overrideWasmKernel, restoreWasmKernels, type KernelFn } from './kernelOverride';
import { gemmProduct } from './simd/gemmProduct';
import { matMulOperands, onBackendKernels, type MatMulOperands } from './xnnpackMatMul';

/** The wasm kernels this module replaces. */
export const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

/**
 * Re-registers the wasm `BatchMatMul` and `_FusedMatMul` kernels with the kernel below.
 * Idempotent; does nothing when the wasm kernels are not registered. The notebook kernel
 * registers this with the other fast kernels, through fastKernels.ts.
 */
export function registerFastMatMul(): void {
  for (const kernelName of MATMUL_KERNELS) overrideWasmKernel(kernelName, makeFastKernel);
}

/** Puts the backend's own `BatchMatMul` and `_FusedMatMul` back. */
export function unregisterFastMatMul(): void {
  restoreWasmKernels(MATMUL_KERNELS);
}

/** Our SIMD kernel when it takes the product, else the backend's own kernels, rewritten. */
function makeFastKernel(original: KernelFn): KernelFn {
  return (args) => {
    const operands = matMulOperands(args);
    return onSimdKernel(operands, args.attrs) ?? onBackendKernels(original, args, operands);
  };
}

/** Off only to compare with XNNPACK (benchmarks); the kernel runs with it on. */
let simdGemmEnabled = true;

/** Switches the SIMD kernel (simd/) off or on; with it off, products go to XNNPACK after explicit transposes. */
export function setSimdGemmEnabled(enabled: boolean): void {
  simdGemmEnabled = enabled;
}

/**
 * The product on our SIMD kernel when it takes it: a plain product, or a fused one with
 * a per-column bias and no activation or relu.
 */
function onSimdKernel(operands: MatMulOperands, attrs: NamedAttrMap | undefined): TensorInfo | undefined {
  if (!simdGemmEnabled) return undefined;
  const { backend, inputs, a, b, transposeA: transposedA, transposeB: transposedB } = operands;
  const activation = String(attrs?.activation ?? 'linear');
  if (inputs.preluActivationWeights !== undefined || (activation !== 'linear' && activation !== 'relu')) return undefined;
  return gemmProduct(backend, a, b, { bias: inputs.bias, relu: activation === 'relu', transposedA, transposedB });
}
