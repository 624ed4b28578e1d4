// Checks the options object of a kit constructor before it is read. A learner coming from
// PyTorch writes `{ weight_decay: 0.1 }` or `{ amsgrad: true }`; read as it is, the first
// would be ignored and the second accepted without a word, and training would quietly
// differ from the lesson. So an unknown key is an error naming it and the nearest known
// one, and a PyTorch option the kit does not implement says so.

/** PyTorch options with no counterpart in the kit, and what a learner can do instead. */
const PYTORCH_ONLY: Record<string, string> = {
  amsgrad: 'the kit implements Adam without the AMSGrad variant',
  maximize: 'minimise the negated loss instead',
  foreach: 'it selects an implementation in PyTorch; the kit has one',
  fused: 'it selects an implementation in PyTorch; the kit has one',
  capturable: 'it is for CUDA graphs in PyTorch',
  differentiable: 'the kit does not differentiate through optimizer steps',
  device: "tensors live on the kernel's TensorFlow.js backend (setting dlnb.backend)",
  dtype: 'the kit computes in float32',
  size_average: 'it is deprecated in PyTorch; use reduction',
  reduce: 'it is deprecated in PyTorch; use reduction',
  ignore_index: 'leave those rows out of the batch instead',
  label_smoothing: 'pass smoothed class probabilities as the target instead',
  pos_weight: 'BCELoss takes weight, per element',
};

/**
 * Throws unless `options` is undefined or an object whose keys are all in `known`.
 * `what` names the call in messages, e.g. `dl.optim.Adam(params, options)`.
 */
export function checkOptions(what: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${what}: options must be an object such as { ${known[0]}: ... }, got ${describe(options)}`);
  }
  for (const [key, value] of Object.entries(options)) {
    // `{ weight: maybeWeight }` with nothing in it is the usual way to leave an option out.
    if (known.includes(key) || value === undefined) continue;
    const pytorchOnly = PYTORCH_ONLY[key];
    if (pytorchOnly !== undefined) {
      throw new TypeError(`${what}: PyTorch's option '${key}' is not supported by the learning kit (${pytorchOnly})`);
    }
    const nearest = nearestKey(key, known);
    const hint = nearest ? `did you mean '${nearest}'?` : `the options are ${known.map((k) => `'${k}'`).join(', ')}`;
    throw new TypeError(`${what}: unknown option '${key}': ${hint}`);
  }
}

/** The known key closest to `key`: its camelCase spelling, or one a few edits away. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const camel = key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const folded = (k: string) => k.toLowerCase().replace(/_/g, '');
  const sameLetters = known.find((k) => k === camel || folded(k) === folded(key));
  if (sameLetters) return sameLetters;
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(key.length / 2));
  for (const candidate of known) {
    const distance = editDistance(folded(key), folded(candidate));
    if (distance <= bestDistance) [best, bestDistance] = [candidate, distance - 1];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'string' ? JSON.stringify(value) : String(value);
}
