//! Exact solution of a square integer system `A x = b` by p-adic lifting (J. D. Dixon, "Exact
//! solution of linear equations using p-adic expansions", Numer. Math. 40, 1982).
//!
//! Why: Gaussian elimination over the rationals spends nearly all its time normalising ever
//! larger fractions by gcds. Dixon factors `A` once modulo a word-size prime `p` (O(k³) word
//! operations), then computes the p-adic digits of `x` one at a time, each from a small integer
//! residual in O(k²) word operations: `x_i = A⁻¹ r_i mod p`, `r_{i+1} = (r_i − A x_i) / p`.
//! Once `p^N` exceeds twice the square of Hadamard's bound on the numerators and the
//! denominator (Cramer's rule), rational reconstruction (Wang 1981; Collins & Encarnación 1995)
//! recovers each `x_j` from `Σ x_i p^i mod p^N` by the extended Euclidean algorithm. The answer
//! is multiplied back in exact integers before it is returned, so no bound in this file has to
//! be trusted for correctness, only for success.
//!
//! The factorisation `P A = L U` also solves the transposed system (`Aᵀ = Uᵀ Lᵀ P`), which a
//! matrix game needs for its second player: [`DixonSolver`] keeps it for both.

use super::IntegerSolution;
use crate::num::IBig;
use dashu::base::{Abs, BitTest};

/// Primes just below 2⁶² (2⁶² − 57 and 2⁶² − 87): below 2⁶³ as Shoup's multiplication needs. A
/// matrix singular modulo the first (a chance of about k/p) is tried with the second.
const PRIMES: [u64; 2] = [(1 << 62) - 57, (1 << 62) - 87];

/// The unique solution of the `k × k` system `a · x = b` (`a` row-major), or `None` when `a` is
/// singular modulo both primes, or too large (see [`DixonSolver::new`]).
#[cfg(test)]
pub fn solve_dixon(k: usize, a: &[i64], b: &[i64]) -> Option<IntegerSolution> {
    DixonSolver::new(k, a)?.solve(b)
}

/// A square integer matrix factored modulo a prime, to solve systems with it or its transpose.
pub struct DixonSolver {
    k: usize,
    p: u64,
    /// The matrix and its transpose, row-major, for residuals and the final check.
    matrix: Vec<i64>,
    transposed: Vec<i64>,
    /// `L` (unit diagonal, below) and `U` (on and above) of `P A = L U` modulo `p`, row-major,
    /// and the same array transposed: `Uᵀ` below and on, `Lᵀ` above.
    lu: Vec<u64>,
    lu_transposed: Vec<u64>,
    /// Row `i` of `P A` is row `order[i]` of `A`.
    order: Vec<usize>,
    /// `U_ii⁻¹ mod p`.
    pivots: Vec<Factor>,
}

/// Which system a solve is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Plain,
    Transposed,
}

impl DixonSolver {
    /// Factor the `k × k` row-major `a`; `None` when it is singular modulo both primes (as
    /// every singular matrix is; a regular one only when both primes divide its determinant,
    /// and then callers fall back to rational elimination) or too large for the i128
    /// residuals (`max |a_ij| · k ≥ 2⁶³`).
    pub fn new(k: usize, a: &[i64]) -> Option<Self> {
        if a.len() != k.checked_mul(k)? {
            return None;
        }
        let largest = a.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
        if (largest as u128) * (k as u128) >= 1 << 63 {
            return None;
        }
        let (p, (lu, order)) = PRIMES
            .iter()
            .find_map(|&p| Some((p, factor_mod(k, a, p)?)))?;
        let pivots = (0..k)
            .map(|i| Factor::new(inv_mod(lu[i * k + i], p), p))
            .collect();
        Some(DixonSolver {
            k,
            p,
            matrix: a.to_vec(),
            transposed: transpose(k, a),
            lu_transposed: transpose(k, &lu),
            lu,
            order,
            pivots,
        })
    }

    /// The solution of `A x = b`, or `None` when `b` has the wrong length or reconstruction fails.
    pub fn solve(&self, b: &[i64]) -> Option<IntegerSolution> {
        self.solve_side(Side::Plain, b)
    }

    /// The solution of `Aᵀ y = c`, or `None` as for [`Self::solve`].
    pub fn solve_transposed(&self, c: &[i64]) -> Option<IntegerSolution> {
        self.solve_side(Side::Transposed, c)
    }

    fn solve_side(&self, side: Side, b: &[i64]) -> Option<IntegerSolution> {
        if b.len() != self.k {
            return None;
        }
        if self.k == 0 {
            return Some(IntegerSolution {
                numerators: Vec::new(),
                denominator: IBig::ONE,
            });
        }
        let matrix = match side {
            Side::Plain => &self.matrix,
            Side::Transposed => &self.transposed,
        };
        let digits = digits_needed(self.k, matrix, b, self.p);
        let expansion = self.lift(side, matrix, b, digits);
        let modulus = IBig::from(self.p).pow(digits);
        let solution = reconstruct(&expansion, &modulus)?;
        multiplies_back(self.k, matrix, b, &solution).then_some(solution)
    }

    /// `A⁻¹ r mod p` (`L⁻¹` then `U⁻¹` on `P r`), or `A⁻ᵀ r` (`U⁻ᵀ` then `L⁻ᵀ`, then `Pᵀ`).
    fn apply_inverse(&self, side: Side, r: &[u64]) -> Vec<u64> {
        let (k, p) = (self.k, self.p);
        match side {
            Side::Plain => {
                let mut x: Vec<u64> = self.order.iter().map(|&i| r[i]).collect();
                substitute(k, &self.lu, Triangle::Lower, None, &mut x, p);
                substitute(k, &self.lu, Triangle::Upper, Some(&self.pivots), &mut x, p);
                x
            }
            Side::Transposed => {
                let mut z = r.to_vec();
                let lu = &self.lu_transposed;
                substitute(k, lu, Triangle::Lower, Some(&self.pivots), &mut z, p);
                substitute(k, lu, Triangle::Upper, None, &mut z, p);
                let mut y = vec![0; k];
                for (&i, v) in self.order.iter().zip(z) {
                    y[i] = v;
                }
                y
            }
        }
    }

    /// `Σ_{i<digits} x_i p^i`, the solution modulo `p^digits`, one entry per unknown.
    fn lift(&self, side: Side, matrix: &[i64], b: &[i64], digits: usize) -> Vec<IBig> {
        let (k, p) = (self.k, self.p);
        // |r| < 2⁶⁴ throughout: |r_{i+1}| ≤ |r_i| / p + k·max|a| and k·max|a| < 2⁶³
        let mut residual: Vec<i128> = b.iter().map(|&v| v as i128).collect();
        let mut expansion: Vec<Vec<u64>> = Vec::with_capacity(digits);
        for _ in 0..digits {
            let reduced: Vec<u64> = residual
                .iter()
                .map(|&r| r.rem_euclid(p as i128) as u64)
                .collect();
            let x = self.apply_inverse(side, &reduced);
            for (r, row) in residual.iter_mut().zip(matrix.chunks_exact(k)) {
                // |a_ij x_j| < 2⁶³/k · 2⁶², so the sum stays below 2¹²⁵
                let ax: i128 = row
                    .iter()
                    .zip(&x)
                    .map(|(&v, &d)| v as i128 * d as i128)
                    .sum();
                *r = (*r - ax) / p as i128;
            }
            expansion.push(x);
        }
        (0..k)
            .map(|j| {
                expansion
                    .iter()
                    .rev()
                    .fold(IBig::ZERO, |acc, digit| acc * p + digit[j])
            })
            .collect()
    }
}

fn transpose<T: Copy>(k: usize, a: &[T]) -> Vec<T> {
    (0..k * k).map(|c| a[(c % k) * k + c / k]).collect()
}

/// Multiplication modulo `p < 2⁶³` by a fixed factor `w`, with `w' = ⌊w·2⁶⁴/p⌋` precomputed
/// (V. Shoup, NTL's `MulModPrecon`): two word products and one correction, no division.
#[derive(Clone, Copy)]
struct Factor {
    w: u64,
    w_shoup: u64,
}

impl Factor {
    fn new(w: u64, p: u64) -> Self {
        Factor {
            w,
            w_shoup: (((w as u128) << 64) / p as u128) as u64,
        }
    }
    fn times(self, x: u64, p: u64) -> u64 {
        let q = ((self.w_shoup as u128 * x as u128) >> 64) as u64;
        let r = self.w.wrapping_mul(x).wrapping_sub(q.wrapping_mul(p));
        if r >= p {
            r - p
        } else {
            r
        }
    }
}

fn sub_mod(x: u64, y: u64, p: u64) -> u64 {
    if x >= y {
        x - y
    } else {
        x + p - y
    }
}

/// `x⁻¹ mod p` for `0 < x < p` by the extended Euclidean algorithm (`p` prime).
fn inv_mod(x: u64, p: u64) -> u64 {
    let (mut r0, mut r1) = (p as i128, x as i128);
    let (mut t0, mut t1) = (0i128, 1i128);
    while r1 != 0 {
        let q = r0 / r1;
        (r0, r1) = (r1, r0 - q * r1);
        (t0, t1) = (t1, t0 - q * t1);
    }
    t0.rem_euclid(p as i128) as u64
}

/// `P a = L U` modulo `p` by Gaussian elimination with row exchanges (any non-zero pivot):
/// the factors packed in one row-major array, and the row order. `None` when `a` is singular
/// modulo `p`.
fn factor_mod(k: usize, a: &[i64], p: u64) -> Option<(Vec<u64>, Vec<usize>)> {
    let mut m: Vec<u64> = a.iter().map(|&v| v.rem_euclid(p as i64) as u64).collect();
    let mut order: Vec<usize> = (0..k).collect();
    for c in 0..k {
        let r = (c..k).find(|&r| m[r * k + c] != 0)?;
        if r != c {
            for j in 0..k {
                m.swap(r * k + j, c * k + j);
            }
            order.swap(r, c);
        }
        let inverse = Factor::new(inv_mod(m[c * k + c], p), p);
        let (top, bottom) = m.split_at_mut((c + 1) * k);
        let pivot = &top[c * k + c + 1..];
        for row in bottom.chunks_exact_mut(k) {
            let l = inverse.times(row[c], p);
            row[c] = l;
            if l == 0 {
                continue;
            }
            let f = Factor::new(l, p);
            for (v, &u) in row[c + 1..].iter_mut().zip(pivot) {
                *v = sub_mod(*v, f.times(u, p), p);
            }
        }
    }
    Some((m, order))
}

/// Which triangle of a packed factor array a substitution reads.
#[derive(Clone, Copy)]
enum Triangle {
    Lower,
    Upper,
}

/// Solve `T x = r` in place modulo `p`, with `T` the strict `triangle` of row-major `t` and on
/// the diagonal 1 (`diagonal` = `None`) or the inverses given.
fn substitute(
    k: usize,
    t: &[u64],
    triangle: Triangle,
    diagonal: Option<&[Factor]>,
    x: &mut [u64],
    p: u64,
) {
    for step in 0..k {
        let i = match triangle {
            Triangle::Lower => step,
            Triangle::Upper => k - 1 - step,
        };
        let known = match triangle {
            Triangle::Lower => 0..i,
            Triangle::Upper => i + 1..k,
        };
        let s = dot_mod(&t[i * k..][known.clone()], &x[known], p);
        let v = sub_mod(x[i], s, p);
        x[i] = diagonal.map_or(v, |d| d[i].times(v, p));
    }
}

/// p-adic digits enough for reconstruction: `p^N > 16 H²`, where Hadamard's bound
/// `H = Π_j max(‖a_·j‖, ‖b‖)` bounds `|det a|` and every Cramer numerator, so that the bound
/// `2^h` of [`reconstruct`] is at least `H`. (Over the common denominator `D | det a`, each
/// `x_j · d` for a divisor `d` of `D` is a fraction with numerator and denominator at most `H`.)
fn digits_needed(k: usize, a: &[i64], b: &[i64], p: u64) -> usize {
    let norm2 = |v: &mut dyn Iterator<Item = i64>| v.map(|x| (x as f64) * (x as f64)).sum::<f64>();
    let b_norm2 = norm2(&mut b.iter().copied());
    let log2_h: f64 = (0..k)
        .map(|j| {
            0.5 * norm2(&mut (0..k).map(|i| a[i * k + j]))
                .max(b_norm2)
                .max(1.0)
                .log2()
        })
        .sum();
    // a relative margin covers the rounding of the float sums
    let bits = (2.0 * log2_h) * (1.0 + 1e-9) + 4.0;
    (bits / (p as f64).log2()).ceil() as usize
}

/// `Σ u_j v_j mod p` for entries below `p < 2⁶²`: products below 2¹²⁴ are summed in 15s.
fn dot_mod(u: &[u64], v: &[u64], p: u64) -> u64 {
    let mut acc: u128 = 0;
    for (cu, cv) in u.chunks(15).zip(v.chunks(15)) {
        acc += cu
            .iter()
            .zip(cv)
            .map(|(&x, &y)| x as u128 * y as u128)
            .sum::<u128>();
        acc %= p as u128;
    }
    acc as u64
}

/// Rationals `n_j / d` congruent to `expansion` modulo `modulus`, with `|n_j|, d ≤ 2^h` and
/// `2·4^h < modulus`. The denominator found so far is tried first on each entry, so usually
/// only the first entry needs a Euclidean reconstruction.
fn reconstruct(expansion: &[IBig], modulus: &IBig) -> Option<IntegerSolution> {
    let h = (modulus.bit_len().saturating_sub(2) / 2).max(1);
    let bound = IBig::ONE << h;
    let half = modulus >> 1;
    let mut numerators = Vec::with_capacity(expansion.len());
    let mut denominator = IBig::ONE;
    for x in expansion {
        let mut v = (x * &denominator) % modulus;
        if v > half {
            v -= modulus;
        }
        if v.clone().abs() > bound {
            let (n, d) = wang(&(v % modulus + modulus), modulus, &bound)?;
            numerators.iter_mut().for_each(|m: &mut IBig| *m *= &d);
            denominator *= &d;
            v = n;
        }
        numerators.push(v);
    }
    Some(IntegerSolution {
        numerators,
        denominator,
    })
}

/// Wang's rational reconstruction of `u mod m` (0 ≤ u < m): the extended Euclidean algorithm on
/// `(m, u)` stopped at the first remainder `≤ bound`, giving `n / d` with `d ≤ bound`.
fn wang(u: &IBig, m: &IBig, bound: &IBig) -> Option<(IBig, IBig)> {
    let (mut r0, mut r1) = (m.clone(), u % m);
    let (mut t0, mut t1) = (IBig::ZERO, IBig::ONE);
    while &r1 > bound {
        let q = &r0 / &r1;
        let r2 = &r0 - &q * &r1;
        let t2 = &t0 - &q * &t1;
        (r0, r1, t0, t1) = (r1, r2, t1, t2);
    }
    if t1 == IBig::ZERO || &t1.clone().abs() > bound {
        return None;
    }
    Some(if t1 < IBig::ZERO {
        (-r1, -t1)
    } else {
        (r1, t1)
    })
}

/// Exact check `a · numerators = b · denominator` in big integers.
fn multiplies_back(k: usize, a: &[i64], b: &[i64], x: &IntegerSolution) -> bool {
    x.denominator > IBig::ZERO
        && a.chunks_exact(k).zip(b).all(|(row, &rhs)| {
            let lhs = row
                .iter()
                .zip(&x.numerators)
                .fold(IBig::ZERO, |acc, (&v, n)| acc + n * v);
            lhs == &x.denominator * rhs
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::random::SplitMix64;
    use crate::num::Q;
    use crate::solve::linalg::test_linear::solve_square_exact;

    fn mul_mod(x: u64, y: u64, p: u64) -> u64 {
        ((x as u128 * y as u128) % p as u128) as u64
    }

    fn as_rationals(x: &IntegerSolution) -> Vec<Q> {
        let d = dashu::integer::UBig::try_from(x.denominator.clone()).unwrap();
        x.numerators
            .iter()
            .map(|n| Q::from_parts(n.clone(), d.clone()))
            .collect()
    }

    /// The reference: Gaussian elimination over the rationals.
    fn by_rationals(k: usize, a: &[i64], b: &[i64]) -> Option<Vec<Q>> {
        let rows = a
            .chunks(k.max(1))
            .map(|r| r.iter().map(|&v| Q::from(v)).collect());
        solve_square_exact(
            rows.take(k).collect(),
            b.iter().map(|&v| Q::from(v)).collect(),
        )
    }

    fn random_system(rng: &mut SplitMix64, k: usize, bound: i64) -> (Vec<i64>, Vec<i64>) {
        let mut draw = || (rng.next_u64() % (2 * bound as u64 + 1)) as i64 - bound;
        let a = (0..k * k).map(|_| draw()).collect();
        let b = (0..k).map(|_| draw()).collect();
        (a, b)
    }

    #[test]
    fn agrees_with_rational_elimination_on_random_systems() {
        let mut rng = SplitMix64(11);
        for k in 1..=9 {
            for bound in [1, 9, 1000] {
                let (a, b) = random_system(&mut rng, k, bound);
                let reference = by_rationals(k, &a, &b);
                let found = solve_dixon(k, &a, &b);
                assert_eq!(
                    found.as_ref().map(as_rationals),
                    reference,
                    "k={k} {a:?} {b:?}"
                );
                let t = transpose(k, &a);
                let found = DixonSolver::new(k, &t).and_then(|s| s.solve_transposed(&b));
                assert_eq!(found.as_ref().map(as_rationals), reference, "Aᵀ, k={k}");
            }
        }
    }

    #[test]
    fn large_entries_and_a_forty_unknown_system() {
        // entries near 2⁴⁰: products overflow i64 at once, the residual bounds still hold
        let mut rng = SplitMix64(5);
        let (a, b) = random_system(&mut rng, 6, 1 << 40);
        let x = solve_dixon(6, &a, &b).unwrap();
        assert_eq!(Some(as_rationals(&x)), by_rationals(6, &a, &b));
        // k = 40: hundreds of digits in each answer, checked against rational elimination
        let (a, b) = random_system(&mut rng, 40, 999);
        let solver = DixonSolver::new(40, &a).unwrap();
        let y = solver.solve_transposed(&b).unwrap();
        assert_eq!(
            Some(as_rationals(&y)),
            by_rationals(40, &transpose(40, &a), &b)
        );
        let x = solver.solve(&b).unwrap();
        assert!(x.denominator.to_string().len() > 100);
        assert_eq!(Some(as_rationals(&x)), by_rationals(40, &a, &b));
    }

    #[test]
    fn closed_forms() {
        // 2x + y = 1, x + 3y = 1 → (2/5, 1/5) (Cramer's rule: det 5)
        let x = solve_dixon(2, &[2, 1, 1, 3], &[1, 1]).unwrap();
        assert_eq!(x.numerators, [IBig::from(2), IBig::from(1)]);
        assert_eq!(x.denominator, IBig::from(5));
        // a matrix singular modulo the first prime is solved with the second: x = 1/p
        let p = PRIMES[0] as i64;
        let x = solve_dixon(1, &[p], &[1]).unwrap();
        assert_eq!(
            (x.numerators[0].clone(), x.denominator),
            (IBig::ONE, IBig::from(p))
        );
        // the empty system has the empty solution
        assert_eq!(solve_dixon(0, &[], &[]).unwrap().numerators.len(), 0);
    }

    #[test]
    fn singular_and_malformed_systems_give_none() {
        // second row twice the first
        assert!(solve_dixon(3, &[1, 2, 3, 2, 4, 6, 0, 1, 5], &[1, 2, 3]).is_none());
        assert!(solve_dixon(2, &[0, 0, 0, 0], &[0, 0]).is_none());
        assert!(
            solve_dixon(2, &[1, 2, 3], &[1, 2]).is_none(),
            "wrong length"
        );
        assert!(
            solve_dixon(2, &[i64::MAX, 1, 1, 1], &[1, 1]).is_none(),
            "too large"
        );
    }

    #[test]
    fn the_moduli_are_prime() {
        // deterministic Miller–Rabin: these bases decide every n < 3.3·10²⁴ (Sorenson & Webster 2015)
        for p in PRIMES {
            let (mut d, mut s) = (p - 1, 0);
            while d % 2 == 0 {
                d /= 2;
                s += 1;
            }
            let pow = |mut base: u64, mut e: u64| {
                let mut r = 1;
                while e > 0 {
                    if e & 1 == 1 {
                        r = mul_mod(r, base, p);
                    }
                    base = mul_mod(base, base, p);
                    e >>= 1;
                }
                r
            };
            for base in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41] {
                let mut x = pow(base, d);
                let passes = x == 1
                    || x == p - 1
                    || (1..s).any(|_| {
                        x = mul_mod(x, x, p);
                        x == p - 1
                    });
                assert!(passes, "{p} is composite (witness {base})");
            }
        }
    }
}
