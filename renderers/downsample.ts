// The renderer's downsampling of specs it did not build: shared with the kernel, which
// thins `plot.vega` specs the same way before they are saved or exported.
export { downsampleSpec, maxPointsOf, type Downsampled } from '../src/shared/specDownsample';
