//! The depth-first search over lexicographically feasible bases behind
//! [`vertex_enum`](super::vertex_enum), on one thread and then, if the search is large, on
//! several.
//!
//! A unit of work is a `Frame`: a basis and the pivots from it still to try. Frames do not
//! depend on each other or on a tableau (a worker moves its own tableau to a frame's basis in at
//! most `min(d, k)` pivots, [`IntegerTableau::move_to`]), so any worker can take any frame. Each
//! worker runs its own stack; an idle worker takes a frame that a busy one gives up from the
//! bottom of its stack, where the oldest, least explored bases are. A basis belongs to the
//! worker that first inserts it into the shared visited set, so every basis is visited exactly
//! once whatever the timing; only the order in which vertices are found varies. Points are
//! shared the same way, so each vertex, however many bases it has, is handed to the caller's
//! visitor exactly once, on the worker that found it: what the visitor does runs in parallel
//! too, and only what it keeps is stored.
//!
//! Small searches never start threads: the calling thread searches alone for the first
//! `solo_bases` bases and only then shares the remaining work.

use crate::error::Error;
use crate::num::IBig;
use crate::solve::deadline::Deadline;
use crate::solve::enummixed::bit_set::{BitSet, BitSetSet, WordHasher};
use crate::solve::enummixed::vertex_enum::Vertex;
use crate::solve::linalg::tableau::entry::TableauEntry;
use crate::solve::linalg::tableau::{IntegerTableau, PivotError};
use std::collections::VecDeque;
use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

/// Why a search stopped early.
#[derive(Debug)]
pub enum Stop {
    /// A tableau entry outgrew its type: search again with wider entries.
    Overflow,
    /// More than [`SearchPlan::max_bases`] bases.
    Budget,
    /// The plan's [`Deadline`] passed: the search keeps what it found (never an error).
    Deadline,
    /// Internal error.
    Error(Error),
}

impl From<PivotError> for Stop {
    fn from(e: PivotError) -> Self {
        match e {
            PivotError::Overflow => Stop::Overflow,
            PivotError::Singular => Stop::Error(internal("a visited basis turned out singular")),
        }
    }
}

fn internal(what: &str) -> Error {
    Error::Solver(format!("vertex enumeration: internal error: {what}"))
}

/// How many threads a search may use once it outgrows its single-threaded start.
#[derive(Debug, Clone, Copy)]
pub enum Threads {
    /// Exactly this many (at least one); the tests pin the count to check that the threaded
    /// and single-threaded searches agree.
    #[cfg_attr(not(test), allow(dead_code))]
    Exactly(usize),
    /// As many as rayon's pool has, asked only then: the first question creates the pool's
    /// threads, which a search that ends within its single-threaded start (every small game's)
    /// should not pay for — `patron solve` on a 4×4 game would start two threads for nothing.
    Pool,
}

/// How a search may run.
#[derive(Debug, Clone, Copy)]
pub struct SearchPlan<'d> {
    /// Most bases to visit before refusing.
    pub max_bases: u128,
    /// When to stop early, keeping the vertices found so far (`patron solve --max-seconds`).
    pub deadline: &'d Deadline,
    /// Threads to use once the search outgrows `solo_bases`.
    pub threads: Threads,
    /// Bases the calling thread visits alone before starting any thread.
    pub solo_bases: u64,
}

/// What the visitor kept, one entry per vertex at most, and the number of bases visited.
pub struct Found<R> {
    pub kept: Vec<R>,
    pub bases: u128,
}

/// Called once per vertex other than the origin; `Some` results are kept.
pub type Visitor<'v, R> = dyn Fn(Vertex) -> Option<R> + Sync + 'v;

/// A basis and the lexicographic pivots from it still to try, as `(entering, leaving)` pairs,
/// last to be tried first.
struct Frame {
    key: BitSet,
    neighbours: Vec<(u32, u32)>,
}

/// Number of visited-set shards: enough that two workers rarely want the same lock.
const SHARDS: usize = 64;

/// State the workers share.
struct Shared<'a, R> {
    matrix: &'a [Vec<IBig>],
    structural: usize,
    visit: &'a Visitor<'a, R>,
    visited: ShardedSet,
    /// Tight sets of the vertices already handed to the visitor.
    points: ShardedSet,
    pool: Mutex<Pool>,
    wake: Condvar,
    /// Copy of `pool.idle`, read without the lock to decide whether to give work away.
    idle: AtomicUsize,
    stopped: AtomicBool,
    failure: Mutex<Option<Stop>>,
    bases: AtomicU64,
    max_bases: u128,
    deadline: &'a Deadline,
    workers: usize,
}

/// Frames given away and not yet taken, and the workers waiting for one.
struct Pool {
    frames: Vec<Frame>,
    idle: usize,
    done: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // a worker that panicked cannot leave these structures half-updated in a way that matters
    // more than the panic itself, which the scope re-raises
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Room reserved in a search's sets at the start: enough for the bases and vertices of a
/// small game (a 4×4 game has a few dozen) without growing the table.
const SMALL_SEARCH: usize = 64;

/// A set of bit sets split into separately locked shards: one while a single thread searches
/// (64 tables would cost a small search more than its pivots), [`SHARDS`] once threads share it.
struct ShardedSet(Vec<Mutex<BitSetSet>>);

impl ShardedSet {
    fn new() -> Self {
        let table = BitSetSet::with_capacity_and_hasher(SMALL_SEARCH, Default::default());
        ShardedSet(vec![Mutex::new(table)])
    }

    /// Redistribute the elements over [`SHARDS`] shards, before threads start.
    fn spread(&mut self) {
        let mut shards: Vec<BitSetSet> = (0..SHARDS).map(|_| BitSetSet::default()).collect();
        for set in self.0.drain(..) {
            for key in set
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
            {
                shards[Self::shard(&key, SHARDS)].insert(key);
            }
        }
        self.0 = shards.into_iter().map(Mutex::new).collect();
    }

    /// The shard of `key` among `count`, from hash bits 20–25, which tables of under a million
    /// entries do not index by.
    fn shard(key: &BitSet, count: usize) -> usize {
        let hash = BuildHasherDefault::<WordHasher>::default().hash_one(key);
        (hash >> 20) as usize % count
    }

    /// Insert `key`; `false` if it was there.
    fn insert(&self, key: &BitSet) -> bool {
        let shard = match self.0.len() {
            1 => 0,
            count => Self::shard(key, count),
        };
        lock(&self.0[shard]).insert(key.clone())
    }
}

impl<R> Shared<'_, R> {
    /// Mark basis `key` visited; `false` if some worker already had it.
    fn claim(&self, key: &BitSet) -> bool {
        self.visited.insert(key)
    }

    /// Count one more basis against the limit.
    fn charge(&self) -> Result<(), Stop> {
        let used = self.bases.fetch_add(1, Ordering::Relaxed) as u128 + 1;
        if used > self.max_bases {
            return Err(Stop::Budget);
        }
        if self.deadline.passed() {
            return Err(Stop::Deadline);
        }
        Ok(())
    }

    /// Record the first failure and stop every worker.
    fn fail(&self, stop: Stop) {
        lock(&self.failure).get_or_insert(stop);
        self.stopped.store(true, Ordering::Relaxed);
        let _pool = lock(&self.pool);
        self.wake.notify_all();
    }

    fn stopped(&self) -> bool {
        self.stopped.load(Ordering::Relaxed)
    }

    /// A frame to work on, waiting while other workers may still give one; `None` once every
    /// worker is idle (the search is complete) or the search stopped.
    fn take_work(&self) -> Option<Frame> {
        let mut pool = lock(&self.pool);
        loop {
            if self.stopped() {
                return None;
            }
            if let Some(frame) = pool.frames.pop() {
                return Some(frame);
            }
            if pool.done {
                return None;
            }
            pool.idle += 1;
            self.idle.store(pool.idle, Ordering::Relaxed);
            if pool.idle == self.workers {
                pool.done = true;
                self.wake.notify_all();
                return None;
            }
            pool = self
                .wake
                .wait(pool)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            pool.idle -= 1;
            self.idle.store(pool.idle, Ordering::Relaxed);
        }
    }
}

/// One searcher: its tableau, its stack of frames, what its visits kept.
struct Worker<T, R> {
    tableau: IntegerTableau<T>,
    current: BitSet,
    stack: VecDeque<Frame>,
    kept: Vec<R>,
}

impl<T: TableauEntry, R> Worker<T, R> {
    /// A worker at the all-slack basis with nothing to do yet.
    fn new(shared: &Shared<R>) -> Result<Self, Stop> {
        let tableau = IntegerTableau::<T>::polytope(shared.matrix, shared.structural)
            .ok_or(Stop::Overflow)?;
        let current = BitSet::from_indices(
            tableau.basis().vars(),
            tableau.basis().basic_vars().iter().copied(),
        );
        Ok(Worker {
            tableau,
            current,
            stack: VecDeque::new(),
            kept: Vec::new(),
        })
    }

    /// Claim and record the starting basis, and make it this worker's first frame.
    fn start(&mut self, shared: &Shared<R>) -> Result<(), Stop> {
        shared.charge()?;
        shared.claim(&self.current);
        self.record(shared);
        self.stack.push_back(Frame {
            key: self.current.clone(),
            neighbours: self.tableau.neighbours(),
        });
        Ok(())
    }

    /// Search until the stack is empty, or for `solo` more bases when given (and then without
    /// asking others for work or giving any away).
    fn run(&mut self, shared: &Shared<R>, solo: Option<u64>) {
        let mut steps = 0;
        while !shared.stopped() && solo.is_none_or(|limit| steps < limit) {
            if self.stack.is_empty() {
                if solo.is_some() {
                    return;
                }
                match shared.take_work() {
                    Some(frame) => self.stack.push_back(frame),
                    None => return,
                }
            } else if solo.is_none() {
                self.give_work(shared);
            }
            match self.step(shared) {
                Ok(true) => steps += 1,
                Ok(false) => {}
                Err(stop) => return shared.fail(stop),
            }
        }
    }

    /// Try the next pivot of the top frame: `Ok(true)` if it led to a new basis, `Ok(false)`
    /// if the frame had none left (it is dropped) or its next neighbour was already visited.
    fn step(&mut self, shared: &Shared<R>) -> Result<bool, Stop> {
        let Some(frame) = self.stack.back_mut() else {
            return Ok(false);
        };
        let Some((entering, leaving)) = frame
            .neighbours
            .pop()
            .map(|(e, l)| (e as usize, l as usize))
        else {
            self.stack.pop_back();
            return Ok(false);
        };
        let mut key = frame.key.clone();
        key.toggle(leaving);
        key.toggle(entering);
        if !shared.claim(&key) {
            return Ok(false);
        }
        shared.charge()?;
        if self.current != frame.key {
            self.tableau.move_to(|var| frame.key.contains(var))?;
        }
        let row = self
            .tableau
            .basis()
            .row_of(leaving)
            .ok_or_else(|| Stop::Error(internal("leaving variable not basic")))?;
        self.tableau.enter_at(row, entering)?;
        self.current.clone_from(&key);
        self.record(shared);
        self.stack.push_back(Frame {
            key,
            neighbours: self.tableau.neighbours(),
        });
        Ok(true)
    }

    /// Give the bottom frame away if a worker is waiting and nothing is on offer.
    fn give_work(&mut self, shared: &Shared<R>) {
        if shared.idle.load(Ordering::Relaxed) == 0 || self.stack.len() < 2 {
            return;
        }
        let mut pool = lock(&shared.pool);
        if pool.idle > pool.frames.len() {
            while let Some(frame) = self.stack.pop_front() {
                if !frame.neighbours.is_empty() {
                    pool.frames.push(frame);
                    shared.wake.notify_one();
                    break;
                }
            }
        }
    }

    /// Hand the current basis's point to the visitor unless it is the origin or some worker
    /// already did.
    fn record(&mut self, shared: &Shared<R>) {
        let t = &self.tableau;
        let vars = t.basis().vars();
        let d = t.basis().cols();
        let tight = BitSet::from_indices(vars, (0..vars).filter(|&v| t.is_zero(v)));
        if (0..d).all(|j| tight.contains(j)) || !shared.points.insert(&tight) {
            return;
        }
        let scaled = (0..d).map(|j| t.scaled_value(j)).collect();
        let vertex = Vertex {
            scaled,
            denominator: t.det(),
            tight,
        };
        self.kept.extend((shared.visit)(vertex));
    }
}

/// Search every lexicographically feasible basis of `{z ≥ 0 : M z ≤ 1}` on entries of type
/// `T`, handing each vertex to `visit`.
pub fn search<T: TableauEntry + Send, R: Send>(
    matrix: &[Vec<IBig>],
    structural: usize,
    plan: SearchPlan,
    visit: &Visitor<R>,
) -> Result<Found<R>, Stop> {
    let mut shared = Shared {
        matrix,
        structural,
        visit,
        visited: ShardedSet::new(),
        points: ShardedSet::new(),
        pool: Mutex::new(Pool {
            frames: Vec::new(),
            idle: 0,
            done: false,
        }),
        wake: Condvar::new(),
        idle: AtomicUsize::new(0),
        stopped: AtomicBool::new(false),
        failure: Mutex::new(None),
        bases: AtomicU64::new(0),
        max_bases: plan.max_bases,
        deadline: plan.deadline,
        workers: 1,
    };
    let mut first = Worker::<T, R>::new(&shared)?;
    match first.start(&shared) {
        Ok(()) => {}
        Err(Stop::Deadline) => {
            return Ok(Found {
                kept: std::mem::take(&mut first.kept),
                bases: shared.bases.load(Ordering::Relaxed) as u128,
            })
        }
        Err(stop) => return Err(stop),
    }
    let solo = match plan.threads {
        Threads::Exactly(0 | 1) => None,
        _ => Some(plan.solo_bases),
    };
    first.run(&shared, solo);
    let mut kept = Vec::new();
    if !first.stack.is_empty() && !shared.stopped() {
        shared.workers = match plan.threads {
            Threads::Exactly(n) => n.max(1),
            Threads::Pool => rayon::current_num_threads().max(1),
        };
        if shared.workers == 1 {
            first.run(&shared, None);
        } else {
            shared.visited.spread();
            shared.points.spread();
            let shared = &shared;
            std::thread::scope(|scope| {
                let helpers: Vec<_> = (1..shared.workers)
                    .map(|_| {
                        scope.spawn(|| match Worker::<T, R>::new(shared) {
                            Ok(mut worker) => {
                                worker.run(shared, None);
                                worker.kept
                            }
                            Err(stop) => {
                                shared.fail(stop);
                                Vec::new()
                            }
                        })
                    })
                    .collect();
                first.run(shared, None);
                for helper in helpers {
                    match helper.join() {
                        Ok(found) => kept.extend(found),
                        Err(_) => shared.fail(Stop::Error(internal("a search thread panicked"))),
                    }
                }
            });
        }
    }
    // A deadline keeps what was found; the caller reads `Deadline::was_reached`.
    match lock(&shared.failure).take() {
        Some(Stop::Deadline) | None => {}
        Some(stop) => return Err(stop),
    }
    kept.append(&mut first.kept);
    Ok(Found {
        kept,
        bases: shared.bases.load(Ordering::Relaxed) as u128,
    })
}
