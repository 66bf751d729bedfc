//! A fixed-length set of small indices, stored as bits.
//!
//! Vertex enumeration keys its visited set by the basic variables of a basis and identifies a
//! vertex by the constraints tight at it; both are sets over a few dozen indices, where hashing
//! and comparing a handful of machine words is far cheaper than a sorted list.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// A subset of `0..len` for a length fixed at creation. Sets over up to 128 indices (games up
/// to 64 + 64 strategies, say) live inline, so copying one allocates nothing.
#[derive(Clone, Debug)]
pub struct BitSet {
    words: Words,
}

#[derive(Clone, Debug)]
enum Words {
    Inline([u64; 2]),
    Heap(Box<[u64]>),
}

impl Words {
    fn as_slice(&self) -> &[u64] {
        match self {
            Words::Inline(w) => w,
            Words::Heap(w) => w,
        }
    }
    fn as_mut_slice(&mut self) -> &mut [u64] {
        match self {
            Words::Inline(w) => w,
            Words::Heap(w) => w,
        }
    }
}

impl PartialEq for BitSet {
    fn eq(&self, other: &Self) -> bool {
        match (&self.words, &other.words) {
            (Words::Inline(a), Words::Inline(b)) => a == b,
            (a, b) => a.as_slice() == b.as_slice(),
        }
    }
}

impl Eq for BitSet {}

/// A hash set of bit sets with a fast hasher: the search looks one up for every edge.
pub type BitSetSet = HashSet<BitSet, BuildHasherDefault<WordHasher>>;

impl Hash for BitSet {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for &w in self.words.as_slice() {
            state.write_u64(w);
        }
    }
}

/// Multiply–rotate word hashing (the scheme of rustc's `FxHasher`): a few cycles per word
/// instead of SipHash's dozens. Not collision-resistant against chosen keys; the keys here are
/// bases of one polytope, so at worst a crafted game is slower.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    /// The product's high bits mix every input bit, its low bits only the low input bits;
    /// hash tables index by the low bits, so rotate the high ones down.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

impl BitSet {
    /// The empty subset of `0..len`.
    pub fn new(len: usize) -> Self {
        let words = if len <= 128 {
            Words::Inline([0; 2])
        } else {
            Words::Heap(vec![0; len.div_ceil(64)].into())
        };
        BitSet { words }
    }

    /// The set of `indices`, a subset of `0..len`.
    pub fn from_indices(len: usize, indices: impl IntoIterator<Item = usize>) -> Self {
        let mut set = Self::new(len);
        for i in indices {
            set.insert(i);
        }
        set
    }

    pub fn insert(&mut self, i: usize) {
        self.words.as_mut_slice()[i / 64] |= 1 << (i % 64);
    }

    pub fn toggle(&mut self, i: usize) {
        self.words.as_mut_slice()[i / 64] ^= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.words.as_slice()[i / 64] >> (i % 64) & 1 == 1
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.words
            .as_slice()
            .iter()
            .map(|w| w.count_ones() as usize)
            .sum()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.words.as_slice().iter().all(|&w| w == 0)
    }

    /// Whether every element of `other` is in `self` (both over the same length).
    pub fn is_superset(&self, other: &BitSet) -> bool {
        let (mine, theirs) = (self.words.as_slice(), other.words.as_slice());
        mine.iter().zip(theirs).all(|(a, b)| b & !a == 0)
    }

    /// The indices of `0..len` that are not in the set.
    pub fn complement(&self, len: usize) -> BitSet {
        BitSet::from_indices(len, (0..len).filter(|&i| !self.contains(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations_match_their_definitions() {
        let a = BitSet::from_indices(70, [0, 3, 64, 69]);
        let wide = BitSet::from_indices(200, [0, 199]);
        assert!(wide.contains(199) && !wide.contains(198) && wide.len() == 2);
        assert_eq!(wide.complement(200).len(), 198);
        assert!(a.contains(64) && a.contains(69) && !a.contains(1));
        assert_eq!(a.len(), 4);
        let c = a.complement(70);
        assert_eq!(c.len(), 66);
        assert!(!c.contains(3) && c.contains(65));
        assert!(a.is_superset(&BitSet::from_indices(70, [3, 69])));
        assert!(!a.is_superset(&BitSet::from_indices(70, [3, 68])));
        let mut b = a.clone();
        b.toggle(3);
        b.toggle(5);
        assert_eq!(b, BitSet::from_indices(70, [0, 5, 64, 69]));
        assert!(BitSet::new(70).is_empty() && !b.is_empty());
    }
}
