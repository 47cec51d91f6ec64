//! Documents paired by name (`NAME.en.txt` + `NAME.zh.txt`, as [`super::pair_by_name`] pairs
//! them) met one at a time as the walk hands them on. The names are listed first (a walk of
//! the folders, nothing read), so that a document with a partner is held only until its
//! partner arrives and every other one goes straight on; documents leave in walk order.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

use crate::document::{self, Found};
use crate::lang;

/// What pairs documents: folder, NAME and EXT of `NAME.LANG.EXT`.
type Key = (PathBuf, String, String);

/// The language tag and pairing key of a path, when its name has a tag.
fn key_of(path: &Path) -> Option<(String, Key)> {
    let tagged = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(lang::tagged_name)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Some((
        tagged.lang.to_string(),
        (dir, tagged.stem.to_string(), tagged.ext.to_string()),
    ))
}

/// The members of one name group seen so far.
#[derive(Debug, Default)]
struct Group {
    /// Members the listing found.
    expected: usize,
    /// Members that turned out to be no document.
    dropped: usize,
    /// Members handed on: language tag and sequence number.
    arrived: Vec<(String, u64)>,
    /// Whether the group was settled (its members let go).
    settled: bool,
}

/// One document waiting to leave.
struct Slot<T> {
    seq: u64,
    item: T,
    /// Waiting for its partner.
    held: Option<Key>,
}

/// Documents in walk order, each let go once its pair (if it has one) is complete.
pub(super) struct PairQueue<T> {
    groups: HashMap<Key, Group>,
    queue: VecDeque<Slot<T>>,
    next: u64,
}

impl<T> PairQueue<T> {
    /// Lists the names under `inputs` as the walk will find them (`stdin_name` for `-`),
    /// leaving out the paths `skip` says the run never reads; only groups of two or more
    /// names are kept.
    pub(super) fn plan(
        inputs: &[PathBuf],
        stdin_name: Option<&Path>,
        skip: impl Fn(&Path) -> bool,
    ) -> PairQueue<T> {
        let mut groups: HashMap<Key, Group> = HashMap::new();
        let mut count = |path: &Path| {
            if let Some((_, key)) = key_of(path) {
                groups.entry(key).or_default().expected += 1;
            }
        };
        for root in inputs {
            for found in document::discover(root) {
                match found {
                    Found::File(path) if !skip(&path) => count(&path),
                    Found::Stream(path) => count(&path),
                    Found::Stdin => count(stdin_name.unwrap_or(Path::new("-"))),
                    Found::Failed(error) => {
                        if let Some(path) = error.path() {
                            count(path);
                        }
                    }
                    _ => {}
                }
            }
        }
        groups.retain(|_, g| g.expected >= 2);
        PairQueue {
            groups,
            queue: VecDeque::new(),
            next: 0,
        }
    }

    /// Adds the next document of the walk (or a failed input) named `path`. When it completes
    /// a group of exactly two, `pair` gets them (source, then target: the English one first,
    /// else in tag order).
    pub(super) fn push(&mut self, path: &Path, item: T, pair: impl FnMut(&mut T, &mut T)) {
        let seq = self.next;
        self.next += 1;
        let mut held = None;
        if let Some((lang, key)) = key_of(path)
            && let Some(group) = self.groups.get_mut(&key)
            && !group.settled
        {
            group.arrived.push((lang, seq));
            held = Some(key);
        }
        let key = held.clone();
        self.queue.push_back(Slot { seq, item, held });
        if let Some(key) = key {
            self.settle_if_complete(&key, pair);
        }
    }

    /// Something the listing counted turned out to be no document (by its first bytes).
    pub(super) fn dropped(&mut self, path: &Path, pair: impl FnMut(&mut T, &mut T)) {
        if let Some((_, key)) = key_of(path)
            && let Some(group) = self.groups.get_mut(&key)
            && !group.settled
        {
            group.dropped += 1;
            self.settle_if_complete(&key, pair);
        }
    }

    /// The next document in walk order, when it may leave.
    pub(super) fn pop_ready(&mut self) -> Option<T> {
        if self.queue.front()?.held.is_some() {
            return None;
        }
        self.queue.pop_front().map(|s| s.item)
    }

    /// The walk is over: groups still waiting are settled with the members that came (a
    /// listed file that never arrived), and every document may leave.
    pub(super) fn finish(&mut self, mut pair: impl FnMut(&mut T, &mut T)) {
        let open: Vec<Key> = self
            .groups
            .iter()
            .filter(|(_, g)| !g.settled && !g.arrived.is_empty())
            .map(|(k, _)| k.clone())
            .collect();
        for key in open {
            self.settle(&key, &mut pair);
        }
        for slot in &mut self.queue {
            slot.held = None;
        }
    }

    /// Documents waiting.
    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.queue.len()
    }

    fn settle_if_complete(&mut self, key: &Key, mut pair: impl FnMut(&mut T, &mut T)) {
        let complete = self
            .groups
            .get(key)
            .is_some_and(|g| g.arrived.len() + g.dropped >= g.expected);
        if complete {
            self.settle(key, &mut pair);
        }
    }

    /// Pairs a group of exactly two arrived members and lets all its members go.
    fn settle(&mut self, key: &Key, pair: &mut impl FnMut(&mut T, &mut T)) {
        let Some(group) = self.groups.get_mut(key) else {
            return;
        };
        group.settled = true;
        let mut members = std::mem::take(&mut group.arrived);
        let Some(front) = self.queue.front().map(|s| s.seq) else {
            return;
        };
        let at = |seq: u64| usize::try_from(seq - front).ok();
        if members.len() == 2 {
            members.sort_unstable();
            let (a, b) = (&members[0], &members[1]);
            let (src, tgt) = if b.0 == "en" { (b.1, a.1) } else { (a.1, b.1) };
            if let (Some(i), Some(j)) = (at(src), at(tgt)) {
                let slots = self.queue.make_contiguous();
                if let Some((x, y)) = two_mut(slots, i, j) {
                    pair(&mut x.item, &mut y.item);
                }
            }
        }
        for (_, seq) in &members {
            if let Some(slot) = at(*seq).and_then(|i| self.queue.get_mut(i)) {
                slot.held = None;
            }
        }
    }
}

/// Two distinct elements of a slice, mutably, in the order asked.
fn two_mut<S>(slots: &mut [S], i: usize, j: usize) -> Option<(&mut S, &mut S)> {
    if i == j || i.max(j) >= slots.len() {
        return None;
    }
    if i < j {
        let (left, right) = slots.split_at_mut(j);
        Some((&mut left[i], &mut right[0]))
    } else {
        let (left, right) = slots.split_at_mut(i);
        Some((&mut right[0], &mut left[j]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(names: &[&str]) -> (tempfile::TempDir, PairQueue<String>, Vec<PathBuf>) {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for name in names {
            let path = dir.path().join(name);
            std::fs::write(&path, "x").unwrap();
            paths.push(path);
        }
        let q = PairQueue::plan(&[dir.path().to_path_buf()], None, |_| false);
        (dir, q, paths)
    }

    fn name(p: &Path) -> String {
        p.file_name().unwrap().to_string_lossy().into_owned()
    }

    #[test]
    fn a_pair_waits_for_its_partner_and_others_go_straight_on() {
        let (_dir, mut q, paths) = queue(&["a.en.txt", "a.zh.txt", "b.txt", "c.zh.txt"]);
        let mut pairs = Vec::new();
        let mut out = Vec::new();
        let mut pair = |s: &mut String, t: &mut String| pairs.push((s.clone(), t.clone()));
        // The walk order: b.txt, then a.zh.txt, c.zh.txt, a.en.txt (far apart on purpose).
        for i in [2, 1, 3, 0] {
            q.push(&paths[i], name(&paths[i]), &mut pair);
            while let Some(d) = q.pop_ready() {
                out.push(d);
            }
            if i == 3 {
                assert_eq!(q.waiting(), 2, "a.zh.txt and c.zh.txt behind it wait");
            }
        }
        q.finish(&mut pair);
        while let Some(d) = q.pop_ready() {
            out.push(d);
        }
        assert_eq!(pairs, [("a.en.txt".to_string(), "a.zh.txt".to_string())]);
        assert_eq!(out, ["b.txt", "a.zh.txt", "c.zh.txt", "a.en.txt"]);
    }

    #[test]
    fn three_of_a_name_are_no_pair_unless_one_is_no_document() {
        let (_dir, mut q, paths) = queue(&["a.de.txt", "a.en.txt", "a.zh.txt"]);
        let mut pairs = Vec::new();
        let mut pair = |s: &mut String, t: &mut String| pairs.push((s.clone(), t.clone()));
        q.push(&paths[0], name(&paths[0]), &mut pair);
        q.push(&paths[1], name(&paths[1]), &mut pair);
        assert!(q.pop_ready().is_none(), "the third may still come");
        q.dropped(&paths[2], &mut pair);
        assert_eq!(pairs, [("a.en.txt".to_string(), "a.de.txt".to_string())]);
        assert_eq!(q.pop_ready().as_deref(), Some("a.de.txt"));

        let (_dir, mut q, paths) = queue(&["b.de.txt", "b.en.txt", "b.zh.txt"]);
        let mut none = Vec::new();
        let mut pair = |s: &mut String, t: &mut String| none.push((s.clone(), t.clone()));
        for p in &paths {
            q.push(p, name(p), &mut pair);
        }
        assert_eq!(q.waiting(), 3);
        assert_eq!(q.pop_ready().as_deref(), Some("b.de.txt"));
        assert!(none.is_empty());
    }

    #[test]
    fn a_partner_that_never_comes_holds_nothing_after_the_walk() {
        let (_dir, mut q, paths) = queue(&["a.en.txt", "a.zh.txt"]);
        let mut pair = |_: &mut String, _: &mut String| panic!("no pair");
        q.push(&paths[0], name(&paths[0]), &mut pair);
        assert!(q.pop_ready().is_none());
        q.finish(&mut pair);
        assert_eq!(q.pop_ready().as_deref(), Some("a.en.txt"));
    }
}
