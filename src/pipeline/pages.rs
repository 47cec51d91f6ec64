//! The review report written as documents finish, so that `run` never holds the whole
//! corpus: each document's section (and review data) is kept while the report is small,
//! and once it outgrows [`INLINE_LIMIT`] every section goes into its own script file in a
//! folder beside the page (`report/000003.js`), which the page loads when the reader opens
//! that document (a `<script src>` works from `file://`, where `fetch` does not). The page
//! itself, written last, is one self-contained report for a small corpus and an index (the
//! overview, a placeholder per document, the review's summary data) for a large one.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::check::corpus::Drift;
use crate::error::Error;
use crate::output::html::{self, Body, DocSummary, DocView};
use crate::output::write_atomic;
use crate::review::page::{PageDocument, PageStub, ReportId, script_safe_json};

/// Up to this many bytes of sections and review data the report stays one page.
pub const INLINE_LIMIT: usize = 8 * 1024 * 1024;

/// When the report goes into pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportPages {
    /// When the report would be larger than [`INLINE_LIMIT`].
    #[default]
    Auto,
    /// Always: an index and a page per document, however small the corpus.
    Always,
    /// Never: one page, however large.
    Never,
}

/// Writes one report page (or an index and its pages) from documents handed over in order.
pub(super) struct ReportWriter {
    /// The page: `out/report.html`.
    html: PathBuf,
    /// The pages' folder as the page names it (`report`), and where it goes.
    folder_name: String,
    folder: PathBuf,
    /// Where pages are written until the run is done (then renamed to `folder`).
    staging: Option<PathBuf>,
    out: PathBuf,
    when: ReportPages,
    /// Whether the page carries review data.
    review: bool,
    /// Names this run: the index accepts only pages of its own run.
    run: String,
    /// Sections and their review data not yet written to pages.
    held: Vec<(String, Option<PageDocument>)>,
    held_bytes: usize,
    summaries: Vec<DocSummary>,
    /// Each reviewed document's stub, as JSON, for the index.
    stubs: Vec<String>,
    id: ReportId,
}

impl ReportWriter {
    /// A writer of `html` (in `out`), whose pages go into the folder of the same name without
    /// `.html`. `review`: whether documents come with review data.
    pub(super) fn new(out: &Path, html: PathBuf, when: ReportPages, review: bool) -> ReportWriter {
        let folder_name = html
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report".to_string());
        ReportWriter {
            folder: out.join(&folder_name),
            folder_name,
            html,
            staging: None,
            out: out.to_path_buf(),
            when,
            review,
            run: run_token(),
            held: Vec::new(),
            held_bytes: 0,
            summaries: Vec::new(),
            stubs: Vec::new(),
            id: ReportId::default(),
        }
    }

    /// The index the next document gets (`#doc-N`).
    pub(super) fn next_index(&self) -> usize {
        self.summaries.len()
    }

    /// Adds the next document: its view and, for a reviewed report, its review data.
    pub(super) fn add(
        &mut self,
        view: &DocView<'_>,
        data: Option<&PageDocument>,
    ) -> Result<(), Error> {
        let index = self.summaries.len();
        let section = html::section(index, view);
        self.summaries.push(DocSummary::of(view));
        let data = data.filter(|_| self.review);
        if let Some(d) = data {
            self.id.add(d);
            let page = format!("{}/{}", self.folder_name, html::page_file(index));
            self.stubs.push(script_safe_json(&PageStub::of(d, page)));
        }
        let size = section.len() + data.map_or(0, |d| d.text.len() + d.flags.len() * 512);
        let inline = match self.when {
            ReportPages::Always => false,
            ReportPages::Never => true,
            ReportPages::Auto => self.held_bytes + size <= INLINE_LIMIT,
        };
        if self.staging.is_none() && inline {
            self.held_bytes += size;
            self.held.push((section, data.cloned()));
            return Ok(());
        }
        if self.staging.is_none() {
            self.start_pages()?;
        }
        self.write_page(index, &section, data)
    }

    /// Creates the staging folder and writes into it what was held.
    fn start_pages(&mut self) -> Result<(), Error> {
        let staging = self.out.join(format!(".transmend-pages-{}", self.run));
        std::fs::create_dir_all(&staging).map_err(|source| Error::Write {
            path: staging.clone(),
            source,
        })?;
        self.staging = Some(staging);
        let held = std::mem::take(&mut self.held);
        self.held_bytes = 0;
        for (index, (section, data)) in held.into_iter().enumerate() {
            self.write_page(index, &section, data.as_ref())?;
        }
        Ok(())
    }

    /// Writes document `index`'s page: a script that hands its section and review data to the
    /// index (`window.transmendPages`). Written as it is serialised: a large document's page
    /// is never a second copy in memory.
    fn write_page(
        &self,
        index: usize,
        section: &str,
        data: Option<&PageDocument>,
    ) -> Result<(), Error> {
        let Some(staging) = &self.staging else {
            return Ok(());
        };
        let path = staging.join(html::page_file(index));
        let write = || -> std::io::Result<()> {
            let mut w = BufWriter::with_capacity(256 * 1024, std::fs::File::create(&path)?);
            w.write_all(b"(window.transmendPages=window.transmendPages||[]).push({\"run\":")?;
            serde_json::to_writer(&mut w, &self.run)?;
            write!(w, ",\"index\":{index},\"html\":")?;
            // JSON strings are JavaScript strings (U+2028 and U+2029 included, since ES2019).
            serde_json::to_writer(&mut w, section)?;
            w.write_all(b",\"review\":")?;
            serde_json::to_writer(&mut w, &data)?;
            w.write_all(b"});\n")?;
            w.flush()
        };
        write().map_err(|source| Error::Write { path, source })
    }

    /// Writes the page (and moves the pages into place). Returns the pages' folder when the
    /// report is in pages.
    pub(super) fn finish(
        mut self,
        title: &str,
        notes: &[String],
        drift: &[Drift],
    ) -> Result<Option<PathBuf>, Error> {
        let report = std::mem::take(&mut self.id).finish();
        if self.staging.is_none() && self.when == ReportPages::Always {
            // No document at all: an index with no pages is still an index.
            self.start_pages()?;
        }
        let Some(staging) = self.staging.take() else {
            let mut sections = String::with_capacity(self.held_bytes);
            let mut data = Vec::new();
            for (section, d) in &self.held {
                sections.push_str(section);
                data.extend(d.as_ref().map(script_safe_json));
            }
            let review = self.review.then(|| {
                format!(
                    "{{\"version\":1,\"report\":\"{report}\",\"documents\":[{}]}}",
                    data.join(",")
                )
            });
            let page = html::page(
                title,
                &self.summaries,
                notes,
                drift,
                &Body::Inline {
                    sections: &sections,
                    review: review.as_deref(),
                },
            );
            write_atomic(&self.html, page.as_bytes())?;
            // Pages of an earlier run in pages would only mislead.
            remove_pages(&self.folder);
            return Ok(None);
        };
        let review = self.review.then(|| {
            format!(
                "{{\"version\":1,\"report\":\"{report}\",\"pages\":{},\"documents\":[{}]}}",
                script_safe_json(&self.folder_name),
                self.stubs.join(",")
            )
        });
        let page = html::page(
            title,
            &self.summaries,
            notes,
            drift,
            &Body::Paged {
                folder: &self.folder_name,
                run: &self.run,
                review: review.as_deref(),
            },
        );
        remove_pages(&self.folder);
        if let Err(source) = std::fs::rename(&staging, &self.folder) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(Error::Write {
                path: self.folder.clone(),
                source,
            });
        }
        write_atomic(&self.html, page.as_bytes())?;
        Ok(Some(self.folder.clone()))
    }
}

impl Drop for ReportWriter {
    /// A run that stops before `finish` leaves no staging folder behind.
    fn drop(&mut self) {
        if let Some(staging) = &self.staging {
            let _ = std::fs::remove_dir_all(staging);
        }
    }
}

/// Removes the pages a report wrote into `folder` (`NNNNNN.js`), and the folder when nothing
/// else is in it: a folder holding anything else is left as it is.
fn remove_pages(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name
            .strip_suffix(".js")
            .is_some_and(|n| n.len() >= 6 && n.bytes().all(|b| b.is_ascii_digit()));
        if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let _ = std::fs::remove_dir(folder);
}

/// A token that names one run: 16 hex digits of a hash of the time and the process id.
fn run_token() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut h = Sha256::new();
    h.update(nanos.to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A file of lines written as they come (report.jsonl), atomically: into a temporary file
/// beside it, renamed over it by [`LineFile::commit`]; dropped without it, nothing replaces
/// the old file.
pub(super) struct LineFile {
    path: PathBuf,
    file: BufWriter<tempfile::NamedTempFile>,
}

impl LineFile {
    pub(super) fn create(path: &Path) -> Result<LineFile, Error> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".transmend-")
            .tempfile_in(dir)
            .map_err(|source| Error::Write {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(LineFile {
            path: path.to_path_buf(),
            file: BufWriter::with_capacity(256 * 1024, tmp),
        })
    }

    /// Writes `line` and a line break.
    pub(super) fn line(&mut self, line: &str) -> Result<(), Error> {
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.write_all(b"\n"))
            .map_err(|source| Error::Write {
                path: self.path.clone(),
                source,
            })
    }

    /// Flushes the file to disk and puts it in place (keeping the permissions of the file it
    /// replaces; a new one gets `0o644` on Unix).
    pub(super) fn commit(self) -> Result<(), Error> {
        let path = self.path;
        let err = |source| Error::Write {
            path: path.clone(),
            source,
        };
        let tmp = self.file.into_inner().map_err(|e| err(e.into_error()))?;
        crate::output::persist(tmp, &path).map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(path: &str, text: &str) -> DocView<'static> {
        let text: &'static str = Box::leak(text.to_string().into_boxed_str());
        DocView {
            path: path.into(),
            encoding: "UTF-8",
            text,
            ..DocView::default()
        }
    }

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn a_small_report_is_one_page_and_a_large_one_goes_into_pages() {
        let out = tempfile::tempdir().unwrap();
        let html = out.path().join("report.html");
        let mut w = ReportWriter::new(out.path(), html.clone(), ReportPages::Auto, false);
        w.add(&view("a.txt", "small"), None).unwrap();
        assert!(w.staging.is_none(), "held while small");
        w.add(&view("b.txt", &"x".repeat(INLINE_LIMIT)), None)
            .unwrap();
        assert!(w.staging.is_some(), "past the limit: pages");
        let pages = w.finish("t", &[], &[]).unwrap();
        assert_eq!(pages, Some(out.path().join("report")));
        assert_eq!(
            files(&out.path().join("report")),
            ["000000.js", "000001.js"]
        );
        let page = std::fs::read_to_string(&html).unwrap();
        assert!(page.contains("<main data-pages=\"report\""));
        assert!(page.contains("data-page=\"report/000001.js\""));
        assert!(!page.contains("xxxx"), "the text is in its page only");
        assert_eq!(
            files(out.path()),
            ["report", "report.html"],
            "no staging left"
        );

        // A later small report on one page takes the pages away.
        let mut w = ReportWriter::new(out.path(), html.clone(), ReportPages::Auto, false);
        w.add(&view("a.txt", "small"), None).unwrap();
        assert_eq!(w.finish("t", &[], &[]).unwrap(), None);
        assert_eq!(files(out.path()), ["report.html"]);
        assert!(
            std::fs::read_to_string(&html)
                .unwrap()
                .contains(">small</div>")
        );
    }

    #[test]
    fn a_folder_of_the_same_name_holding_other_files_is_not_emptied() {
        let out = tempfile::tempdir().unwrap();
        std::fs::create_dir(out.path().join("report")).unwrap();
        std::fs::write(out.path().join("report/notes.txt"), "mine").unwrap();
        std::fs::write(out.path().join("report/000009.js"), "old").unwrap();
        let html = out.path().join("report.html");
        let mut w = ReportWriter::new(out.path(), html, ReportPages::Always, false);
        w.add(&view("a.txt", "small"), None).unwrap();
        assert!(matches!(w.finish("t", &[], &[]), Err(Error::Write { .. })));
        assert_eq!(files(&out.path().join("report")), ["notes.txt"]);
        assert_eq!(files(out.path()), ["report"], "no staging left");
    }

    #[test]
    fn lines_replace_the_file_only_when_committed() {
        let out = tempfile::tempdir().unwrap();
        let path = out.path().join("report.jsonl");
        std::fs::write(&path, "old\n").unwrap();
        let mut f = LineFile::create(&path).unwrap();
        f.line("{\"a\":1}").unwrap();
        drop(f);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        let mut f = LineFile::create(&path).unwrap();
        f.line("{\"a\":1}").unwrap();
        f.line("{\"b\":2}").unwrap();
        f.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"a\":1}\n{\"b\":2}\n"
        );
        assert_eq!(files(out.path()), ["report.jsonl"]);
    }
}
