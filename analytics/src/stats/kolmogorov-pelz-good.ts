// The Pelz-Good (1976) approximation to the Kolmogorov CDF P(D_n <= x),
// ported from SciPy's _kolmogn_PelzGood. It is the Li-Chien/Korolyuk
// expansion K0 + K1/sqrt(n) + K2/n + K3/n^1.5 in z = x sqrt(n), rewritten
// through Jacobi theta identities into sums that converge fast for small z;
// SciPy uses it for large n where the exact methods are too slow.

const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);
const SQRT_THREE = Math.sqrt(3);
// exp() of anything below this is 0 in double precision.
const MIN_LOG = -708;

/** Approximate P(D_n <= x) for 0 <= x <= 1 (not clipped, as in SciPy). */
export function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI_SQUARED / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);

  const k1a = -z2;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * z2)) / 16;
  const k3d = (PI_SIX * (5 - 30 * z2)) / 64;
  const k3c = (PI_FOUR * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI_SQUARED * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  // Horner scheme over odd m = 2k - 1 for sum_k c_k q^(m^2).
  const terms = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) terms[i] = (terms[i] as number) * qPower + (coefficients[i] as number);
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) terms[i] = ((terms[i] as number) * q * SQRT_TWO_PI) / (divisors[i] as number);

  // The remaining sums over all integers k for K2 and K3.
  q = Math.exp(-PI_SQUARED / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  for (let k = maxk; k >= 1; k--) {
    const k2 = k * k;
    const qPower = q ** k2;
    const kPi = Math.PI * k;
    k2Extra += k2 * qPower;
    k3Extra += (SQRT_THREE * z + kPi) * (SQRT_THREE * z - kPi) * k2 * qPower;
  }
  terms[2] = (terms[2] as number) + (k2Extra * PI_SQUARED * SQRT_TWO_PI) / (-36 * z3);
  terms[3] = (terms[3] as number) + (k3Extra * PI_SQUARED * SQRT_TWO_PI) / (216 * z6);

  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (terms[i] as number) / n ** (i / 2);
  return sum;
}
