// Placeholder: registers faster matrix-multiply kernels for the wasm backend.
export function registerFastMatMul(): void {}
