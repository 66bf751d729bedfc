//! The bases a Lemke path has visited, as a set of their 64-bit hashes ([`super::lemke`]
//! hashes each basis by XOR-ing its variables' hashes, Zobrist hashing): open addressing with
//! linear probing (Knuth, TAOCP vol. 3, §6.4) in a power-of-two table at most half
//! full, indexed by the hash's low bits.
//!
//! Why not `std`'s `HashSet`: the path looks up and inserts one hash per pivot, and a path
//! is some twenty pivots long, so the set's cost is its constant. `HashSet` (with a cheap
//! hasher) took about 57 instructions an insertion on a 6×6×6 game (callgrind), as much as the
//! linear search of a list it would replace; here an insertion is a probe or two, inlined in
//! the path's loop, and the keys (already well spread) are not hashed again. The table keeps
//! its size between paths, and clearing it touches only the slots in use.

/// A set of 64-bit hashes.
pub struct Visited {
    /// The table; [`EMPTY`] marks a free slot (the hash [`EMPTY`] itself is kept aside).
    slots: Vec<u64>,
    /// The slots in use, in order of insertion (to clear them and to grow the table).
    used: Vec<usize>,
    /// Whether the hash [`EMPTY`] is in the set.
    empty_hash: bool,
}

/// A free slot.
const EMPTY: u64 = 0;

/// The table's first size: room for a path of 32 pivots.
const FIRST_SIZE: usize = 64;

impl Visited {
    /// An empty set (its table is allocated at the first insertion: a path may have none).
    pub fn new() -> Self {
        Visited {
            slots: Vec::new(),
            used: Vec::new(),
            empty_hash: false,
        }
    }

    /// Empties the set, keeping its table.
    pub fn clear(&mut self) {
        for &slot in &self.used {
            self.slots[slot] = EMPTY;
        }
        self.used.clear();
        self.empty_hash = false;
    }

    /// Adds `hash`; `false` when it was in the set already.
    #[inline]
    pub fn insert(&mut self, hash: u64) -> bool {
        if hash == EMPTY {
            return !std::mem::replace(&mut self.empty_hash, true);
        }
        if 2 * (self.used.len() + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        // the low bits: the hashes are well spread (SplitMix64 outputs XOR-ed)
        let mut slot = hash as usize & mask;
        loop {
            match self.slots[slot] {
                EMPTY => {
                    self.slots[slot] = hash;
                    self.used.push(slot);
                    return true;
                }
                kept if kept == hash => return false,
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    /// Doubles the table (or makes the first) and inserts the hashes again, in their order.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let hashes: Vec<u64> = self.used.iter().map(|&slot| self.slots[slot]).collect();
        let size = (2 * self.slots.len()).max(FIRST_SIZE);
        self.slots = vec![EMPTY; size];
        self.used.clear();
        self.used.reserve(size / 2);
        for hash in hashes {
            self.insert(hash);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::SplitMix64;
    use std::collections::HashSet;

    /// Against `std`'s `HashSet` on sequences with repeats (drawn from few values, some
    /// colliding in the low bits, and the hash 0), long enough to grow the table several
    /// times, with clears between them: every insertion answers the same.
    #[test]
    fn agrees_with_a_std_hash_set() {
        let mut rng = SplitMix64(20261207);
        let mut visited = Visited::new();
        let mut reference = HashSet::new();
        for length in [0, 1, 5, 40, 300, 2000] {
            visited.clear();
            reference.clear();
            // values sharing their low 12 bits collide in tables up to 4096 slots
            let values: Vec<u64> = (0..length / 2 + 1)
                .map(|k| match k % 3 {
                    0 => rng.next_u64(),
                    1 => rng.next_u64() << 12 | 7,
                    _ => k as u64 % 5,
                })
                .collect();
            for _ in 0..length {
                let hash = values[(rng.next_u64() % values.len() as u64) as usize];
                assert_eq!(visited.insert(hash), reference.insert(hash), "{hash}");
            }
        }
    }
}
