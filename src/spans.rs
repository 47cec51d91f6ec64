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
    pub fn new(ranges: impl IntoIterator<Item = Range<usize>>) -> Spans {
        let mut all: Vec<Range<usize>> = ranges
            .into_iter()
            .map(|r| r.start..r.end.max(r.start + 1))
            .collect();
        all.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(all.len());
        for r in all {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Spans { merged }
    }

    /// Whether `r` shares a byte with any range of the set (an empty `r` counts as a point).
    pub fn overlaps(&self, r: &Range<usize>) -> bool {
        let end = r.end.max(r.start + 1);
        let i = self.merged.partition_point(|m| m.start < end);
        i > 0 && self.merged[i - 1].end > r.start
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
    }
}
