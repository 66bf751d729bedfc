//! Parallel evaluation with results delivered in order, and the progress bar.
//!
//! One task per rayon thread takes the next few positions from a shared counter
//! (self-scheduling, so slow points do not leave threads idle), computes them with its own
//! scratch state and sends the results to the calling thread in one message (a message per
//! point would spend a tenth of the time waking threads), which puts them back in position
//! order through a small reorder buffer before handing them on. The disorder is bounded by what the other threads
//! finish while one point is computed, so memory stays small, and the delivered sequence is
//! the same whatever the number of threads.

use crate::{Error, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;

/// Positions a worker takes at a time.
const CHUNK: u64 = 16;
/// Chunks a worker may have sent before the receiving side catches up (back-pressure).
const CHANNEL_CAPACITY: usize = 256;

/// Compute `work(state, position)` for every position of `positions` on the threads of `pool`
/// (`None`: rayon's global pool, sized by `RAYON_NUM_THREADS` or the number of cores; `init`
/// makes each thread's state) and call `deliver(position, result)` on the calling thread, in
/// position order. The calling thread must not itself be one of the pool's threads.
///
/// An error from `deliver` stops the workers and is returned.
pub fn run_in_order<S, T, I, W, D>(
    pool: Option<&rayon::ThreadPool>,
    positions: Range<u64>,
    init: I,
    work: W,
    mut deliver: D,
    progress: &ProgressBar,
) -> Result<()>
where
    T: Send,
    I: Fn() -> S + Sync,
    W: Fn(&mut S, u64) -> T + Sync,
    D: FnMut(u64, T) -> Result<()>,
{
    let next = AtomicU64::new(positions.start);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::sync_channel::<(u64, Vec<T>)>(CHANNEL_CAPACITY);
    let end = positions.end;
    let threads = pool.map_or_else(rayon::current_num_threads, |p| p.current_num_threads());
    let mut outcome = Ok(());
    let mut expected = positions.start;
    std::thread::scope(|helper| {
        // This helper thread waits for the pool; the calling thread receives.
        let (next, stop, init, work) = (&next, &stop, &init, &work);
        helper.spawn(move || match pool {
            Some(p) => p.scope(|s| spawn_workers(s, threads, tx, next, stop, end, init, work)),
            None => rayon::scope(|s| spawn_workers(s, threads, tx, next, stop, end, init, work)),
        });
        let mut waiting = BTreeMap::new();
        for (first, results) in rx.iter() {
            if outcome.is_err() {
                continue; // drain, so that no worker blocks on a full channel
            }
            waiting.insert(first, results);
            'deliver: while let Some(results) = waiting.remove(&expected) {
                let count = results.len() as u64;
                for result in results {
                    if let Err(e) = deliver(expected, result) {
                        stop.store(true, Ordering::Relaxed);
                        outcome = Err(e);
                        break 'deliver;
                    }
                    expected += 1;
                }
                progress.inc(count);
            }
        }
    });
    outcome?;
    if expected != end {
        return Err(Error::Solver(format!(
            "the sweep stopped at position {expected} of {end}"
        )));
    }
    Ok(())
}

/// `threads` tasks, each computing the next free chunk of positions until none is left.
#[allow(clippy::too_many_arguments)]
fn spawn_workers<'scope, S, T, I, W>(
    scope: &rayon::Scope<'scope>,
    threads: usize,
    tx: mpsc::SyncSender<(u64, Vec<T>)>,
    next: &'scope AtomicU64,
    stop: &'scope AtomicBool,
    end: u64,
    init: &'scope I,
    work: &'scope W,
) where
    T: Send + 'scope,
    I: Fn() -> S + Sync,
    W: Fn(&mut S, u64) -> T + Sync,
{
    for _ in 0..threads {
        let tx = tx.clone();
        scope.spawn(move |_| {
            let mut state = init();
            loop {
                let first = next.fetch_add(CHUNK, Ordering::Relaxed);
                if first >= end || stop.load(Ordering::Relaxed) {
                    break;
                }
                let results = (first..end.min(first + CHUNK))
                    .map(|pos| work(&mut state, pos))
                    .collect();
                if tx.send((first, results)).is_err() {
                    break;
                }
            }
        });
    }
    // `tx` drops here: the channel closes when the last worker is done.
}

/// A progress bar on standard error with rate and time left, or a hidden one when standard
/// error is not a terminal or `quiet` is set.
pub fn progress_bar(total: u64, done: u64, what: &str, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = format!(
        "{{elapsed_precise}} [{{wide_bar}}] {{human_pos}}/{{human_len}} {what} \
         ({{per_sec}}, {{eta}} left)"
    );
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_position(done);
    bar.reset_eta();
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_in_order_whatever_the_threads() {
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let mut got = Vec::new();
            run_in_order(
                Some(&pool),
                5..500,
                || 0u64,
                |calls, pos| {
                    *calls += 1;
                    // Uneven work, so threads finish out of order.
                    let spin = (pos * 7919) % 2000;
                    (0..spin).fold(pos, |a, b| a.wrapping_mul(31).wrapping_add(b))
                        ^ pos
                        ^ (0..spin).fold(pos, |a, b| a.wrapping_mul(31).wrapping_add(b))
                },
                |pos, v| {
                    got.push((pos, v));
                    Ok(())
                },
                &ProgressBar::hidden(),
            )
            .unwrap();
            let expected: Vec<(u64, u64)> = (5..500).map(|p| (p, p)).collect();
            assert_eq!(got, expected, "{threads} threads");
        }
    }

    #[test]
    fn a_delivery_error_stops_the_run() {
        let mut delivered = 0;
        let err = run_in_order(
            None,
            0..100_000,
            || (),
            |_, pos| pos,
            |pos, _| {
                delivered += 1;
                if pos == 10 {
                    Err(Error::Usage("disk full".into()))
                } else {
                    Ok(())
                }
            },
            &ProgressBar::hidden(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("disk full"));
        assert_eq!(delivered, 11);
    }
}
