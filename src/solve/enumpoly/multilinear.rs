//! Multilinear forms and their exact ranges over boxes.
//!
//! Every polynomial `enumpoly` meets is a sum of products that take at most one factor from each
//! player's block of unknowns, and each factor is affine in that block: for unknowns
//! `x_j = (x_j1, …, x_jd)` write `y_j = (1, x_j1, …, x_jd)`; a form is a coefficient tensor
//! contracted with one `y_j` per block. Such a function is affine in each single block, hence
//! multilinear in the individual unknowns (degree ≤ 1 in each), and so over a box its exact range
//! is attained at the box's vertices (McKelvey & McLennan 1996, §6, use the same structure).
//! [`Form::range`] visits the vertices of all blocks but the largest one and, for each, minimises
//! and maximises the remaining affine function in closed form, coordinate by coordinate: exact,
//! at `2^(unknowns outside the largest block)` contractions instead of `2^unknowns`.

use crate::num::tol;
use std::ops::Range;

/// A closed interval `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

impl Interval {
    /// The empty interval, the neutral element of [`Self::hull`].
    const EMPTY: Interval = Interval {
        lo: f64::INFINITY,
        hi: f64::NEG_INFINITY,
    };

    pub fn point(v: f64) -> Interval {
        Interval { lo: v, hi: v }
    }

    pub fn contains_zero(&self) -> bool {
        self.lo <= 0.0 && 0.0 <= self.hi
    }

    /// The interval of all products `a · b` (`b` any point of `other`), widened for rounding.
    pub fn times(self, other: Interval) -> Interval {
        let products = [
            self.lo * other.lo,
            self.lo * other.hi,
            self.hi * other.lo,
            self.hi * other.hi,
        ];
        let lo = products.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = products.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Interval { lo, hi }.widened(tol::INTERVAL_ROUNDING * lo.abs().max(hi.abs()))
    }

    /// The interval of all quotients, for a divisor that excludes 0.
    pub fn divided_by(self, divisor: Interval) -> Interval {
        self.times(Interval {
            lo: 1.0 / divisor.hi,
            hi: 1.0 / divisor.lo,
        })
    }

    pub fn minus(self, other: Interval) -> Interval {
        let (lo, hi) = (self.lo - other.hi, self.hi - other.lo);
        Interval { lo, hi }.widened(tol::INTERVAL_ROUNDING * lo.abs().max(hi.abs()))
    }

    fn hull(self, other: Interval) -> Interval {
        Interval {
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }

    fn widened(self, by: f64) -> Interval {
        Interval {
            lo: self.lo - by,
            hi: self.hi + by,
        }
    }
}

/// A dense tensor of `f64`, mode 0 varying fastest (as a Gambit payoff list).
#[derive(Debug, Clone)]
pub struct Tensor {
    dims: Vec<usize>,
    data: Vec<f64>,
}

impl Tensor {
    /// The tensor whose entry at each multi-index is `entry(index)`.
    pub fn from_fn(dims: Vec<usize>, mut entry: impl FnMut(&[usize]) -> f64) -> Tensor {
        let len = dims.iter().product();
        let mut data = Vec::with_capacity(len);
        let mut index = vec![0; dims.len()];
        for _ in 0..len {
            data.push(entry(&index));
            for (i, d) in index.iter_mut().zip(&dims) {
                *i += 1;
                if *i < *d {
                    break;
                }
                *i = 0;
            }
        }
        Tensor { dims, data }
    }

    pub fn get(&self, index: &[usize]) -> f64 {
        let mut flat = 0;
        let mut stride = 1;
        for (i, d) in index.iter().zip(&self.dims) {
            flat += i * stride;
            stride *= d;
        }
        self.data[flat]
    }

    /// Rewrite mode `mode` in the basis `(e_0, e_1 − e_0, e_2 − e_0, …)`: a tensor contracted
    /// with a probability vector `σ = e_0 + Σ_m x_m (e_m − e_0)` becomes one contracted with
    /// `(1, x_1, x_2, …)`.
    pub fn change_to_difference_basis(&mut self, mode: usize) {
        let inner: usize = self.dims[..mode].iter().product();
        let d = self.dims[mode];
        for outer in 0..self.data.len() / (inner * d) {
            let base = outer * inner * d;
            for m in 1..d {
                for k in 0..inner {
                    self.data[base + m * inner + k] -= self.data[base + k];
                }
            }
        }
    }
}

/// Several multilinear functions (its *outputs*) of the unknowns, sharing their blocks.
#[derive(Debug, Clone)]
pub struct Form {
    /// Modes: the outputs, then one mode per block (the largest block first), of size
    /// `1 + its unknowns`.
    tensor: Tensor,
    outputs: usize,
    /// Each block's unknowns, as a range of the unknown vector, in the tensor's mode order.
    blocks: Vec<Range<usize>>,
    /// Bound on the rounding error of any value or range bound computed in `f64`.
    rounding: f64,
}

impl Form {
    /// The form whose output `o` has coefficient `coefficient(o, index)` at the multi-index
    /// `index` (one entry per block of `blocks`, in that order; 0 is the block's constant 1,
    /// `m ≥ 1` its unknown `m`). Boxes and points handed to the form must lie within
    /// [`BOX_BOUND`] of the origin in every coordinate.
    pub fn new(
        outputs: usize,
        blocks: &[Range<usize>],
        mut coefficient: impl FnMut(usize, &[usize]) -> f64,
    ) -> Form {
        // The largest block goes first: it is the one minimised in closed form.
        let mut order: Vec<usize> = (0..blocks.len()).collect();
        order.sort_by_key(|&b| std::cmp::Reverse(blocks[b].len()));
        let mut dims = vec![outputs];
        dims.extend(order.iter().map(|&b| blocks[b].len() + 1));
        let mut caller_index = vec![0; blocks.len()];
        let tensor = Tensor::from_fn(dims, |index| {
            for (k, &b) in order.iter().enumerate() {
                caller_index[b] = index[k + 1];
            }
            coefficient(index[0], &caller_index)
        });
        let blocks: Vec<Range<usize>> = order.iter().map(|&b| blocks[b].clone()).collect();
        let magnitude: f64 = tensor.data.iter().map(|v| v.abs()).sum();
        let operations = tensor.data.len() as f64 * (blocks.len() + 1) as f64;
        let rounding =
            tol::INTERVAL_ROUNDING * operations * magnitude * BOX_BOUND.powi(blocks.len() as i32);
        Form {
            tensor,
            outputs,
            blocks,
            rounding,
        }
    }

    /// Bound on the rounding error of the values [`Self::at`] returns.
    pub fn rounding(&self) -> f64 {
        self.rounding
    }

    /// Every output's value at the point `x`.
    pub fn at(&self, x: &[f64]) -> Vec<f64> {
        let Some((first, rest)) = self.blocks.split_last() else {
            return self.tensor.data.clone();
        };
        let mut current = Vec::new();
        contract_last_into(&self.tensor.data, &x[first.clone()], &mut current);
        let mut next = Vec::new();
        for block in rest.iter().rev() {
            contract_last_into(&current, &x[block.clone()], &mut next);
            std::mem::swap(&mut current, &mut next);
        }
        current
    }

    /// Every output's exact range over the box `[lo, hi]`, widened by the rounding bound.
    pub fn range(&self, lo: &[f64], hi: &[f64]) -> Vec<Interval> {
        let mut ranges = vec![Interval::EMPTY; self.outputs];
        match self.blocks.len() {
            0 => {
                for (r, &v) in ranges.iter_mut().zip(&self.tensor.data) {
                    *r = Interval::point(v);
                }
            }
            n => {
                // one buffer per level for the partly contracted tensor, one for the vertex
                let mut buffers = vec![Vec::new(); n - 1];
                let mut vertex = Vec::new();
                let data = &self.tensor.data;
                self.visit_vertices(data, n - 1, lo, hi, &mut ranges, &mut buffers, &mut vertex);
            }
        }
        ranges
            .into_iter()
            .map(|r| r.widened(self.rounding))
            .collect()
    }

    /// Contract block `last` at each vertex of its box (into `buffers[last − 1]`) and recurse;
    /// at block 0 (the largest) take the affine function's range coordinate by coordinate.
    #[allow(clippy::too_many_arguments)]
    fn visit_vertices(
        &self,
        data: &[f64],
        last: usize,
        lo: &[f64],
        hi: &[f64],
        ranges: &mut [Interval],
        buffers: &mut [Vec<f64>],
        vertex: &mut Vec<f64>,
    ) {
        let block = self.blocks[last].clone();
        if last == 0 {
            for (o, range) in ranges.iter_mut().enumerate() {
                let mut low = data[o];
                let mut high = low;
                for (a, v) in block.clone().enumerate() {
                    let c = data[o + self.outputs * (a + 1)];
                    let (p, q) = (c * lo[v], c * hi[v]);
                    low += p.min(q);
                    high += p.max(q);
                }
                *range = range.hull(Interval { lo: low, hi: high });
            }
            return;
        }
        let (deeper, this) = buffers[..last].split_at_mut(last - 1);
        let contracted = &mut this[0];
        for corner in 0..1usize << block.len() {
            // (deeper levels reuse `vertex`: it is rebuilt at every corner)
            vertex.clear();
            for (k, v) in block.clone().enumerate() {
                vertex.push(if corner >> k & 1 == 1 { hi[v] } else { lo[v] });
            }
            contract_last_into(data, vertex, contracted);
            self.visit_vertices(contracted, last - 1, lo, hi, ranges, deeper, vertex);
        }
    }
}

/// Contract a tensor's last (slowest) mode, of size `1 + x.len()`, with `(1, x)`:
/// `out[k] = data[k] + Σ_a x_a · data[k + (a + 1)·inner]`.
fn contract_last_into(data: &[f64], x: &[f64], out: &mut Vec<f64>) {
    let inner = data.len() / (x.len() + 1);
    out.clear();
    out.extend_from_slice(&data[..inner]);
    for (a, &weight) in x.iter().enumerate() {
        let slab = &data[(a + 1) * inner..(a + 2) * inner];
        for (o, &v) in out.iter_mut().zip(slab) {
            *o += weight * v;
        }
    }
}

/// Largest absolute coordinate of a box or point a [`Form`] is evaluated on: the searched boxes
/// lie in `[0, 1]` and are inflated by a fraction of their width for the Krawczyk test, and Newton
/// iterates that stray further are abandoned (see `subdivision`).
pub const BOX_BOUND: f64 = 1.5;
