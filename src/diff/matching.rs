//! One-to-one matching of old and new elements (checklists, sections, items), pass by pass, and
//! the test for elements that changed order.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;

/// How many candidates with the same key are examined for a preferred one.
const PREFERENCE_WINDOW: usize = 64;

/// A one-to-one mapping between old and new indices, built pass by pass.
#[derive(Debug, Clone)]
pub struct Pairs {
    old_to_new: Vec<Option<usize>>,
    new_to_old: Vec<Option<usize>>,
}

impl Pairs {
    /// No pairs yet between `old` and `new` elements.
    #[must_use]
    pub fn new(old: usize, new: usize) -> Pairs {
        Pairs {
            old_to_new: vec![None; old],
            new_to_old: vec![None; new],
        }
    }

    /// Pairs `old` with `new`; both must be free.
    pub fn pair(&mut self, old: usize, new: usize) {
        debug_assert!(self.old_to_new[old].is_none() && self.new_to_old[new].is_none());
        self.old_to_new[old] = Some(new);
        self.new_to_old[new] = Some(old);
    }

    /// The new partner of `old`.
    #[must_use]
    pub fn new_of(&self, old: usize) -> Option<usize> {
        self.old_to_new[old]
    }

    /// The old partner of `new`.
    #[must_use]
    pub fn old_of(&self, new: usize) -> Option<usize> {
        self.new_to_old[new]
    }

    /// Old elements without a partner.
    pub fn free_old(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.old_to_new.len()).filter(|&o| self.old_to_new[o].is_none())
    }

    /// New elements without a partner.
    pub fn free_new(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.new_to_old.len()).filter(|&n| self.new_to_old[n].is_none())
    }

    /// Pairs free elements whose keys are equal (elements without a key are skipped). Among
    /// several old candidates for a new element, the first that `prefer` accepts wins, else the
    /// first in order.
    pub fn by_key<K: Hash + Eq>(
        &mut self,
        old_key: impl Fn(usize) -> Option<K>,
        new_key: impl Fn(usize) -> Option<K>,
        prefer: impl Fn(usize, usize) -> bool,
    ) {
        let mut free: HashMap<K, VecDeque<usize>> = HashMap::new();
        for o in self.free_old().collect::<Vec<_>>() {
            if let Some(k) = old_key(o) {
                free.entry(k).or_default().push_back(o);
            }
        }
        if free.is_empty() {
            return;
        }
        for n in self.free_new().collect::<Vec<_>>() {
            let Some(candidates) = new_key(n).and_then(|k| free.get_mut(&k)) else {
                continue;
            };
            let at = candidates
                .iter()
                .take(PREFERENCE_WINDOW)
                .position(|&o| prefer(o, n))
                .unwrap_or(0);
            if let Some(o) = candidates.remove(at) {
                self.pair(o, n);
            }
        }
    }

    /// Pairs the candidate pairs scoring at least `threshold`, best score first (ties in order
    /// of old, then new index); a pair whose old or new element is taken is skipped.
    pub fn by_score(
        &mut self,
        candidates: impl Iterator<Item = (usize, usize)>,
        score: impl Fn(usize, usize) -> f64,
        threshold: f64,
    ) {
        let mut scored: Vec<(f64, usize, usize)> = candidates
            .filter(|&(o, n)| self.old_to_new[o].is_none() && self.new_to_old[n].is_none())
            .map(|(o, n)| (score(o, n), o, n))
            .filter(|&(s, _, _)| s >= threshold)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, o, n) in scored {
            if self.old_to_new[o].is_none() && self.new_to_old[n].is_none() {
                self.pair(o, n);
            }
        }
    }
}

/// For a sequence of old positions listed in new order, which elements are out of order: those
/// outside one longest increasing subsequence. Moving only those restores the old order.
#[must_use]
pub(super) fn out_of_order(positions: &[usize]) -> Vec<bool> {
    // tails[k]: index (into positions) of the smallest tail of an increasing run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; positions.len()];
    for (i, &p) in positions.iter().enumerate() {
        let k = tails.partition_point(|&t| positions[t] < p);
        previous[i] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut moved = vec![true; positions.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        moved[i] = false;
        at = previous[i];
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_swap_moves_one_element() {
        let swapped = out_of_order(&[0, 2, 1, 3]);
        assert_eq!(swapped.iter().filter(|&&m| m).count(), 1);
        assert!(!swapped[0] && !swapped[3]);
        assert_eq!(out_of_order(&[3, 0, 1, 2]), [true, false, false, false]);
        assert_eq!(out_of_order(&[]), Vec::<bool>::new());
    }

    #[test]
    fn keys_pair_in_order_with_preference() {
        let mut pairs = Pairs::new(3, 2);
        let old = ["a", "a", "b"];
        let new = ["a", "c"];
        pairs.by_key(|o| Some(old[o]), |n| Some(new[n]), |o, _| o == 1);
        assert_eq!(pairs.old_of(0), Some(1));
        assert_eq!(pairs.old_of(1), None);
        assert_eq!(pairs.free_old().collect::<Vec<_>>(), [0, 2]);
    }
}
