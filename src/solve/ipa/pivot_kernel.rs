//! A Lemke pivot's arithmetic: the pivot row divided by the pivot `p`, and `T[r, c] −= T[r, col]
//! · (T[row, c] / p)` for every other row `r`. It is compiled twice, for the baseline x86-64
//! (SSE2, two doubles a vector) and for AVX (four), and the AVX copy is chosen at run time when
//! the processor has it.
//!
//! Why. On long, pivot-heavy runs of `ipa` (random 6×6×6 games with a dozen pivots an
//! iteration) pivots are most of the time, and a dense row of `M + 2` entries is where
//! wider vectors pay: 4 doubles a step instead of 2 (`docs/performance.md`, "ipa's work on
//! random 6×6×6 draws"). The portable build cannot assume AVX, so the crate's only `unsafe`
//! is the call of the AVX copy after the run-time check that makes it sound.
//!
//! Both copies perform the same operations in the same order, one multiply and one subtract
//! an entry (Rust never contracts them into a fused multiply-add, and AVX alone has none), so
//! they give the same bits; a test checks that.

/// One row's part of a pivot on column `col`: `other` minus its entry in `col` times the
/// divided pivot row `scaled`, and in `col` the leaving variable's entry `0 − T[r, col] ·
/// (1 / p)`. A row with an exact 0 in the pivot column is unchanged (but for that entry).
#[inline(always)]
fn subtract_multiple(other: &mut [f64], scaled: &[f64], col: usize, inverse: f64) {
    let factor = other[col];
    if factor != 0.0 {
        for (x, &s) in other.iter_mut().zip(scaled) {
            *x -= factor * s;
        }
        other[col] = 0.0 - factor * inverse;
    } else {
        other[col] = 0.0;
    }
}

/// A pivot on entry (`row`, `col`) of the tableau `t` (rows of `width` entries, of which the
/// first `columns` are kept up to date): the pivot row divided by the pivot `p`, with `1 / p`
/// in `col`, and every other row minus its entry in `col` times the divided pivot row
/// ([`subtract_multiple`]).
#[inline(always)]
fn pivot_baseline(t: &mut [f64], width: usize, columns: usize, row: usize, col: usize) {
    let (above, rest) = t.split_at_mut(row * width);
    let (pivot_row, below) = rest.split_at_mut(width);
    let pivot_row = &mut pivot_row[..columns];
    let p = pivot_row[col];
    let inverse = 1.0 / p;
    for x in pivot_row.iter_mut() {
        *x /= p;
    }
    pivot_row[col] = inverse;
    let pivot_row = &*pivot_row;
    for other in above.chunks_exact_mut(width) {
        subtract_multiple(&mut other[..columns], pivot_row, col, inverse);
    }
    for other in below.chunks_exact_mut(width) {
        subtract_multiple(&mut other[..columns], pivot_row, col, inverse);
    }
}

/// [`pivot_baseline`] compiled for AVX.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn pivot_avx(t: &mut [f64], width: usize, columns: usize, row: usize, col: usize) {
    pivot_baseline(t, width, columns, row, col);
}

/// A pivot on entry (`row`, `col`) of the tableau `t` (rows of `width` entries, of which the
/// first `columns` are kept up to date), as [`pivot_baseline`] computes it: with AVX when the
/// processor has it, else with the baseline instructions.
pub(super) fn pivot(t: &mut [f64], width: usize, columns: usize, row: usize, col: usize) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: `pivot_avx` needs AVX and nothing else, and the processor has it (checked
        // just above).
        #[allow(unsafe_code)]
        unsafe {
            pivot_avx(t, width, columns, row, col)
        };
        return;
    }
    pivot_baseline(t, width, columns, row, col);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both copies, on tableaux of random values with zeros in the pivot column here and
    /// there, give the same bits, and those of the pivot written entry by entry.
    #[test]
    fn every_copy_gives_the_same_bits() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
        };
        for (rows, width, columns) in [(18, 23, 20), (5, 9, 9), (7, 12, 5), (1, 3, 3), (30, 41, 37)]
        {
            for trial in 0..20 {
                let (row, col) = (trial % rows, trial % columns);
                let mut t: Vec<f64> = (0..rows * width).map(|_| next()).collect();
                for r in (0..rows).step_by(3).filter(|&r| r != row) {
                    t[r * width + col] = 0.0;
                }
                let mut by_entry = t.clone();
                let p = t[row * width + col];
                for c in 0..columns {
                    by_entry[row * width + c] = t[row * width + c] / p;
                }
                by_entry[row * width + col] = 1.0 / p;
                for r in (0..rows).filter(|&r| r != row) {
                    let factor = t[r * width + col];
                    for c in 0..columns {
                        if factor != 0.0 {
                            by_entry[r * width + c] -= factor * by_entry[row * width + c];
                        }
                    }
                    by_entry[r * width + col] = if factor != 0.0 {
                        0.0 - factor * (1.0 / p)
                    } else {
                        0.0
                    };
                }
                let mut baseline = t.clone();
                pivot_baseline(&mut baseline, width, columns, row, col);
                let mut dispatched = t;
                pivot(&mut dispatched, width, columns, row, col);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                let at = format!("{rows}x{width}, pivot ({row}, {col})");
                assert_eq!(bits(&baseline), bits(&by_entry), "{at}");
                assert_eq!(bits(&dispatched), bits(&by_entry), "{at}");
            }
        }
    }
}
