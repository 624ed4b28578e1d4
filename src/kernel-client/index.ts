// The kernel client: what the extension host and `dlnb run` import.
export { createKernel } from './kernel';
export type * from './types';
