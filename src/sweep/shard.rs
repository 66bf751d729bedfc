//! Shards: disjoint slices of one sweep, to run as separate jobs (a Slurm job array) and join
//! with `patron merge`.
//!
//! Shard I of N (numbered from 1, as `--shard I/N`) takes the points p with p mod N = I − 1.
//! Interleaving rather than cutting the sweep into blocks gives every shard a fair share of
//! each region of a grid (the costly corner of a grid would otherwise land on one job), and
//! merging is a round robin over the shard files.

use crate::{Error, Result};

/// Shard `index` of `count` (1 ≤ index ≤ count). The whole sweep is shard 1/1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// How many of `points` points this shard holds.
    pub fn rows(&self, points: u64) -> u64 {
        let first = self.index - 1;
        if points <= first {
            0
        } else {
            (points - first).div_ceil(self.count)
        }
    }

    /// The sweep point of this shard's `row`-th row.
    pub fn point(&self, row: u64) -> u64 {
        (self.index - 1) + row * self.count
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}`: expected I/N, e.g. 3/8"))?;
        let whole = |s: &str| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| format!("`{s}` is not a whole number"))
        };
        let (index, count) = (whole(i)?, whole(n)?);
        if count == 0 || index == 0 || index > count {
            return Err(format!(
                "`{text}`: shards are numbered 1 to N (with a 0-based Slurm array, \
                 pass $((SLURM_ARRAY_TASK_ID + 1))/N)"
            ));
        }
        Ok(Shard { index, count })
    }
}

/// The shard for `--shard`, checked against the sweep's size.
pub fn checked(shard: Option<Shard>, points: u64) -> Result<Shard> {
    let shard = shard.unwrap_or(Shard::WHOLE);
    if shard.count > points {
        return Err(Error::Usage(format!(
            "--shard {shard}: more shards than the sweep's {points} points"
        )));
    }
    Ok(shard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_points() {
        for points in [1u64, 7, 8, 9, 100] {
            for count in 1..=points.min(9) {
                let mut seen = vec![0u32; points as usize];
                for index in 1..=count {
                    let s = Shard { index, count };
                    for r in 0..s.rows(points) {
                        seen[s.point(r) as usize] += 1;
                    }
                }
                assert!(
                    seen.iter().all(|&c| c == 1),
                    "{points} points, {count} shards"
                );
            }
        }
    }

    #[test]
    fn parses_one_based_shards() {
        assert_eq!("3/8".parse::<Shard>(), Ok(Shard { index: 3, count: 8 }));
        assert!("0/8"
            .parse::<Shard>()
            .unwrap_err()
            .contains("SLURM_ARRAY_TASK_ID"));
        assert!("9/8".parse::<Shard>().is_err());
        assert!("3".parse::<Shard>().is_err());
        assert!(checked(Some(Shard { index: 1, count: 5 }), 4).is_err());
    }
}
