// The statistics behind `plot.lmplot` and `plot.hist`, computed here in plain numbers:
// an ordinary least-squares line with the 95% confidence band of its mean, and
// equal-width histogram bins.

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination. */
  r2: number;
  /** Points used (pairs where both x and y are finite). */
  n: number;
}

export interface BandPoint {
  x: number;
  /** Fitted mean at x. */
  y: number;
  /** 95% confidence interval of the mean at x (absent with fewer than 3 points). */
  lo?: number;
  hi?: number;
}

/** Least squares `y = slope * x + intercept` over the finite pairs. */
export function fitLine(xs: ArrayLike<number>, ys: ArrayLike<number>): LinearFit & { sxx: number; meanX: number; sse: number } {
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
    n++;
    sumX += xs[i];
    sumY += ys[i];
  }
  if (n < 2) throw new RangeError(`lmplot needs at least 2 points with finite x and y, got ${n}`);
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    if (!(Number.isFinite(xs[i]) && Number.isFinite(ys[i]))) continue;
    const dx = xs[i] - meanX;
    const dy = ys[i] - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new RangeError('lmplot needs at least two different x values');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const sse = Math.max(0, syy - slope * sxy);
  const r2 = syy === 0 ? 1 : 1 - sse / syy;
  return { slope, intercept, r2, n, sxx, meanX, sse };
}

/**
 * The fitted line at `samples` x values across the data, with the 95% confidence band
 * of the mean: yhat ± t(0.975, n-2) · s · sqrt(1/n + (x - mean x)² / Sxx).
 */
export function regressionBand(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  samples = 100,
): { fit: LinearFit; band: BandPoint[] } {
  const full = fitLine(xs, ys);
  const { slope, intercept, n, sxx, meanX, sse } = full;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) continue;
    lo = Math.min(lo, xs[i]);
    hi = Math.max(hi, xs[i]);
  }
  const t = n > 2 ? studentTQuantile(0.975, n - 2) : NaN;
  const s = n > 2 ? Math.sqrt(sse / (n - 2)) : NaN;
  const band: BandPoint[] = [];
  for (let k = 0; k < samples; k++) {
    const x = lo + ((hi - lo) * k) / (samples - 1);
    const y = slope * x + intercept;
    if (n > 2) {
      const half = t * s * Math.sqrt(1 / n + ((x - meanX) * (x - meanX)) / sxx);
      band.push({ x, y, lo: y - half, hi: y + half });
    } else {
      band.push({ x, y });
    }
  }
  return { fit: { slope, intercept, r2: full.r2, n }, band };
}

/** The p-quantile of Student's t with `df` degrees of freedom (bisection on the CDF). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`studentTQuantile: bad p=${p} or df=${df}`);
  if (p === 0.5) return 0;
  const upper = p > 0.5;
  const target = upper ? p : 1 - p;
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < target) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < target) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  return upper ? q : -q;
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~15 digits for x > 0.
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** I_x(a, b) by the continued fraction of Numerical Recipes (betacf). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

export interface HistogramBin {
  start: number;
  end: number;
  count: number;
}

/** Equal-width bins over the finite values; the last bin includes its right edge. */
export function histogram(values: ArrayLike<number>, bins?: number): HistogramBin[] {
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    n++;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (n === 0) throw new RangeError('hist: no finite values to count');
  // Sturges' rule by default, as numpy's 'sturges'.
  const count = bins ?? Math.ceil(Math.log2(n) + 1);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`hist: bins must be a positive integer, got ${bins}`);
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / count;
  const out: HistogramBin[] = Array.from({ length: count }, (_, k) => ({
    start: lo + k * width,
    end: k === count - 1 ? hi : lo + (k + 1) * width,
    count: 0,
  }));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    out[Math.min(count - 1, Math.floor((v - lo) / width))].count++;
  }
  return out;
}
