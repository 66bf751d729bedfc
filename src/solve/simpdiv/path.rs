//! One run of the variable-dimension restart algorithm on a fixed grid (van der Laan, Talman &
//! van der Heyden 1987; on one simplex, van der Laan & Talman 1979).
//!
//! Grid and directions: points are `z / M` with integer `z`. For a strategy `h` of player `j`,
//! `q(j, h) = e(j, h) − e(j, h⁻)`, where `h⁻` is `j`'s previous strategy (cyclically: the first
//! strategy's is the last); one step moves `1/M` of probability from `h⁻` to `h`. (Either
//! cyclic orientation gives a triangulation; this one reproduces the equilibria pygambit 16.7
//! reaches from the centroid on Gambit's examples, the other differs on ten of them.) For a label set `T` (for each player a proper
//! subset `T_j` of its strategies) the region `A(T) = {v + Σ_{(j,h)∈T} λ_{jh} q(j,h) : λ ≥ 0}`
//! around the start `v` has dimension `t = |T|`, and is triangulated by the simplices
//! `σ(y¹, π)`: `y¹ = v + Σ a_{jh} q(j,h)/M` with integers `a ≥ 0`, `π` an order of `T`, and
//! `y^{i+1} = y^i + q(π_i)/M` (Freudenthal's triangulation in the `λ` coordinates).
//!
//! The path: it starts at `{v}` with `T = ∅`. At each step one vertex has just been labelled.
//! If its label `ℓ` is new, `T` grows by `ℓ` and the simplex by the vertex `y^{t+1} + q(ℓ)/M`
//! (when `ℓ` completes some player's strategies the run ends: see [`super::labels`]); else the
//! other vertex with label `ℓ` leaves by the replacement rules of the triangulation (first
//! vertex: the simplex shifts by `q(π_1)`; an inner one: two steps of `π` swap; the last one: the
//! simplex shifts back by `q(π_t)`, unless `a_{π_t} = 0`, where the simplex is on the face
//! `λ_{π_t} = 0` of `A(T)`: `T` loses `π_t` and the vertex labelled `π_t` leaves instead). Every
//! simplex on the path carries all labels of `T`, and the path can neither branch nor return, so
//! it ends (the grid near the product of simplices is finite).
//!
//! The run reports its best vertex (least exact regret, the first on ties), from which the next
//! run on a finer grid restarts.

use super::labels::Labeller;
use crate::num::Q;
use crate::solve::deadline::Deadline;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// A simplex carried every strategy of some player as a label.
    Complete,
    /// A vertex had regret exactly 0.
    ExactEquilibrium,
    /// The path went more than the leash's number of grid steps from its start.
    Leash,
    /// The deadline passed.
    Deadline,
    /// The step limit was reached.
    StepLimit,
}

/// The best vertex of a run and its exact regret, and how the run ended.
#[derive(Debug, Clone)]
pub struct Run {
    pub best: Vec<i64>,
    pub best_regret: Q,
    pub end: RunEnd,
    pub steps: usize,
}

/// The current simplex `σ(y¹, π)` in `A(T)`, with its vertices and their labels.
struct Simplex {
    in_t: Vec<bool>,
    count_t: Vec<usize>,
    a: Vec<i64>,
    order: Vec<usize>,
    vertices: Vec<Vec<i64>>,
    labels: Vec<usize>,
}

/// Limits of one run.
pub struct RunLimits<'d> {
    pub leash: Option<u64>,
    pub max_steps: usize,
    pub deadline: &'d Deadline,
}

/// Follow the path from the grid point `start / m` until it ends.
pub fn run(labeller: &Labeller, start: &[i64], m: i64, limits: &RunLimits) -> Run {
    let offsets = labeller.offsets();
    let players = offsets.len() - 1;
    let total = offsets[players];
    let mut player_of = vec![0; total];
    let mut previous = vec![0; total];
    for j in 0..players {
        for k in offsets[j]..offsets[j + 1] {
            player_of[k] = j;
            previous[k] = if k == offsets[j] {
                offsets[j + 1] - 1
            } else {
                k - 1
            };
        }
    }
    let step = |point: &[i64], k: usize, sign: i64| -> Vec<i64> {
        let mut p = point.to_vec();
        p[k] += sign;
        p[previous[k]] -= sign;
        p
    };
    let first = labeller.label(start, m);
    let mut best = (start.to_vec(), first.regret.clone().unwrap_or(Q::ONE));
    let mut s = Simplex {
        in_t: vec![false; total],
        count_t: vec![0; players],
        a: vec![0; total],
        order: Vec::new(),
        vertices: vec![start.to_vec()],
        labels: vec![first.label],
    };
    let finish = |best: (Vec<i64>, Q), end, steps| Run {
        best: best.0,
        best_regret: best.1,
        end,
        steps,
    };
    if first.regret.as_ref() == Some(&Q::ZERO) {
        return finish(best, RunEnd::ExactEquilibrium, 0);
    }
    // The vertex most recently labelled.
    let mut fresh = 0usize;
    let mut steps = 0usize;
    loop {
        steps += 1;
        if steps > limits.max_steps {
            return finish(best, RunEnd::StepLimit, steps);
        }
        if limits.deadline.passed() {
            return finish(best, RunEnd::Deadline, steps);
        }
        let label = s.labels[fresh];
        if !s.in_t[label] {
            let j = player_of[label];
            if s.count_t[j] + 1 == offsets[j + 1] - offsets[j] {
                return finish(best, RunEnd::Complete, steps);
            }
            s.in_t[label] = true;
            s.count_t[j] += 1;
            s.order.push(label);
            let last = s.vertices.last().expect("a simplex has a vertex");
            let vertex = step(last, label, 1);
            s.vertices.push(vertex);
            s.labels.push(usize::MAX);
            fresh = s.vertices.len() - 1;
        } else {
            let mut leaving = (0..s.labels.len())
                .find(|&i| i != fresh && s.labels[i] == label)
                .expect("a label of T already on the simplex");
            fresh = loop {
                let t = s.order.len();
                if leaving == 0 {
                    let h = s.order.remove(0);
                    s.order.push(h);
                    s.a[h] += 1;
                    s.vertices.remove(0);
                    s.labels.remove(0);
                    let vertex = step(&s.vertices[t - 1], h, 1);
                    s.vertices.push(vertex);
                    s.labels.push(usize::MAX);
                    break t;
                } else if leaving < t {
                    s.order.swap(leaving - 1, leaving);
                    s.vertices[leaving] = step(&s.vertices[leaving - 1], s.order[leaving - 1], 1);
                    break leaving;
                } else {
                    let h = s.order[t - 1];
                    if s.a[h] == 0 {
                        // The facet lies on the face λ_h = 0: drop h from T.
                        s.order.pop();
                        s.vertices.pop();
                        s.labels.pop();
                        s.in_t[h] = false;
                        s.count_t[player_of[h]] -= 1;
                        leaving = s
                            .labels
                            .iter()
                            .position(|&l| l == h)
                            .expect("the dropped label is on the facet");
                        continue;
                    }
                    s.order.pop();
                    s.order.insert(0, h);
                    s.a[h] -= 1;
                    s.vertices.pop();
                    s.labels.pop();
                    let vertex = step(&s.vertices[0], h, -1);
                    s.vertices.insert(0, vertex);
                    s.labels.insert(0, usize::MAX);
                    break 0;
                }
            };
        }
        if let Some(leash) = limits.leash {
            if s.a.iter().any(|&c| c.unsigned_abs() > leash) {
                return finish(best, RunEnd::Leash, steps);
            }
        }
        let labelled = labeller.label(&s.vertices[fresh], m);
        s.labels[fresh] = labelled.label;
        if let Some(regret) = labelled.regret {
            if regret < best.1 {
                let exact = regret == Q::ZERO;
                best = (s.vertices[fresh].clone(), regret);
                if exact {
                    return finish(best, RunEnd::ExactEquilibrium, steps);
                }
            }
        }
    }
}
