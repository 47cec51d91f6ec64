//! A set of byte ranges with fast overlap queries (sorted, merged), so checks that skip
//! "already explained" text stay linear on huge documents.

use std::ops::Range;

/// Disjoint, sorted byte ranges.
#[derive(Debug, Clone, Default)]
pub struct Spans {
    merged: Vec<Range<usize>>,
}

impl Spans {
    /// Builds the set from any ranges (unsorted, overlapping, empty ones count as a point).
    /// Sorts and merges in the one vector the ranges are collected into.
    pub fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Spans {
        let mut merged: Vec<Range<usize>> = ranges
            .into_iter()
            .map(|r| r.start..r.end.max(r.start + 1))
            .collect();
        merged.sort_unstable_by_key(|r| r.start);
        // Ranges [..kept] are merged; each later one extends the last of them or joins them.
        let mut kept = 0;
        for i in 0..merged.len() {
            let r = merged[i].clone();
            if kept > 0 && r.start <= merged[kept - 1].end {
                merged[kept - 1].end = merged[kept - 1].end.max(r.end);
            } else {
                merged[kept] = r;
                kept += 1;
            }
        }
        merged.truncate(kept);
        merged.shrink_to_fit();
        Spans { merged }
    }

    /// Whether `r` shares a byte with any range of the set (an empty `r` counts as a point).
    pub fn overlaps(&self, r: &Range<usize>) -> bool {
        let end = r.end.max(r.start + 1);
        let i = self.merged.partition_point(|m| m.start < end);
        i > 0 && self.merged[i - 1].end > r.start
    }

    /// Whether a range of the set overlaps `r` without lying inside it.
    pub fn crosses(&self, r: &Range<usize>) -> bool {
        let end = r.end.max(r.start + 1);
        let i = self.merged.partition_point(|m| m.start < end);
        let first = self.merged[..i].partition_point(|m| m.end <= r.start);
        self.merged[first..i]
            .iter()
            .any(|m| m.start < r.start || m.end > r.end)
    }

    /// Adds a range.
    pub fn insert(&mut self, r: Range<usize>) {
        let r = r.start..r.end.max(r.start + 1);
        let i = self.merged.partition_point(|m| m.end < r.start);
        let mut j = i;
        let (mut start, mut end) = (r.start, r.end);
        while j < self.merged.len() && self.merged[j].start <= end {
            start = start.min(self.merged[j].start);
            end = end.max(self.merged[j].end);
            j += 1;
        }
        self.merged.splice(i..j, std::iter::once(start..end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_queries() {
        let mut s = Spans::new([10..20, 15..25, 40..41, 5..5]);
        assert!(s.overlaps(&(24..30)));
        assert!(!s.overlaps(&(25..40)));
        assert!(s.overlaps(&(40..40)));
        assert!(s.overlaps(&(5..6)));
        assert!(!s.overlaps(&(0..5)));
        s.insert(30..35);
        assert!(s.overlaps(&(34..36)));
        s.insert(20..45);
        assert!(s.overlaps(&(36..37)));
        assert_eq!(s.merged, vec![5..6, 10..45]);
        let s = Spans::new([3..5, 0..3, 3..4, 9..9, 4..4]);
        assert_eq!(s.merged, vec![0..5, 9..10]);
    }

    #[test]
    fn containment_queries() {
        let s = Spans::new([10..20, 30..35]);
        assert!(!s.crosses(&(5..25)), "10..20 lies inside");
        assert!(s.crosses(&(15..25)) && s.crosses(&(5..15)));
        assert!(!s.crosses(&(21..29)), "no overlap, nothing crosses");
    }
}
