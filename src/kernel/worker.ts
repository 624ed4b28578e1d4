// Placeholder until the kernel worker lands.
export {};
