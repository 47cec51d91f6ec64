//! `transmend run PATH... --out DIR`: the whole pipeline over a corpus. Check and repair every
//! document, align documents paired by name (`NAME.en.txt` + `NAME.zh.txt`), translate when an
//! engine is configured, and leave in DIR: report.jsonl, report.html, fixed/, diff/ and
//! bilingual/. Prints a summary table; exit codes as `check`.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use transmend::check::bilingual;
use transmend::check::{Flag, Rule, Severity};
use transmend::document::{Document, ReadOptions};
use transmend::error::Error;
use transmend::output::{diff, html, json, rewrite, write_atomic};
use transmend::pipeline::{self, FixOptions, Fixed, Walked};
use transmend::translate::{self, Settings, Stats};

use super::translate::{EngineArgs, Reporter, engine_config, init_logging, open_cache, policy};
use super::{GlobalArgs, InputArgs, load_termbase, parse_lang};

#[derive(Args, Debug)]
pub(crate) struct RunArgs {
    /// Files or folders (read recursively).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Folder for everything the run writes (created if missing).
    #[arg(long, short = 'o', value_name = "DIR")]
    out: PathBuf,
    /// Translate into this language (default: en for non-English documents, zh for English ones).
    #[arg(long, value_name = "LANG", value_parser = parse_lang)]
    to: Option<String>,
    #[command(flatten)]
    engine: EngineArgs,
    /// Also apply the CJK typography pass when repairing.
    #[arg(long)]
    typography: bool,
    #[command(flatten)]
    input: InputArgs,
    /// Process only shard K of N (K from 0); reports are then named report.K-of-N.jsonl/.html.
    /// An original and its translation (NAME.en/NAME.zh) always share a shard.
    #[arg(long, value_name = "K/N")]
    shard: Option<pipeline::Shard>,
}

/// One input as the run saw it.
struct Entry {
    path: PathBuf,
    outcome: Result<Fixed, Error>,
    /// Bilingual flags from alignment with its pair, located in this document's text.
    pair_flags: Vec<Flag>,
    /// Segment pairs, when translated.
    translation: Option<Vec<(String, String)>>,
}

impl Entry {
    fn flags(&self) -> Vec<Flag> {
        match &self.outcome {
            Ok(fixed) => {
                let mut all = fixed.analysis.flags.clone();
                all.extend(self.pair_flags.iter().cloned());
                all.sort_by_key(|f| (f.start, f.end));
                all
            }
            Err(_) => Vec::new(),
        }
    }
}

const NO_ENGINE: &str = "translation skipped: no engine configured. To translate, add for example \
--engine libretranslate --endpoint http://localhost:5000, or --engine deepl with DEEPL_AUTH_KEY=... set, \
or --engine openai --endpoint http://localhost:11434 --model NAME for an Ollama, llama.cpp or vLLM server";

pub(crate) fn run(global: &GlobalArgs, args: RunArgs) -> Result<ExitCode> {
    init_logging();
    let termbase = load_termbase(&global.glossary)?;
    let engine = engine_config(&args.engine)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create the output folder {}", args.out.display()))?;
    let out_canonical = std::fs::canonicalize(&args.out)
        .with_context(|| format!("cannot resolve the output folder {}", args.out.display()))?;
    let options = pipeline::Options {
        read: ReadOptions {
            max_file_size: args.input.max_file_size,
        },
        lang: global.lang(),
        ..pipeline::Options::default()
    };
    let fix = FixOptions {
        typography: args.typography,
    };

    // 1. Check and repair every document, in parallel, in sorted order.
    let bar = (!global.quiet && io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} checked {pos} document(s) {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    });
    let mut entries: Vec<Entry> = Vec::new();
    let mut skipped = 0usize;
    pipeline::map_paths_sharded(
        &args.paths,
        args.input.jobs,
        args.shard,
        |path| {
            // Never read the run's own outputs (an --out folder inside the corpus).
            let inside_out =
                std::fs::canonicalize(path).is_ok_and(|p| p.starts_with(&out_canonical));
            (!inside_out).then(|| pipeline::fix_path(path, &options, termbase, fix))
        },
        |walked| match walked {
            Walked::Done(Some(outcome)) => {
                let path = match &outcome {
                    Ok(fixed) => fixed.analysis.doc.path.clone(),
                    Err(e) => e.path().map(Path::to_path_buf).unwrap_or_default(),
                };
                if let Some(bar) = &bar {
                    bar.inc(1);
                }
                entries.push(Entry {
                    path,
                    outcome,
                    pair_flags: Vec::new(),
                    translation: None,
                });
            }
            Walked::Done(None) => {}
            Walked::Failed { path, error } => entries.push(Entry {
                path,
                outcome: Err(error),
                pair_flags: Vec::new(),
                translation: None,
            }),
            Walked::Skipped { path, reason } => {
                skipped += 1;
                if !global.quiet {
                    eprintln!("note: skipped {}: {reason}", path.display());
                }
            }
        },
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }

    // 2. Documents paired by name: align and check pair by pair.
    let pairs = pair_by_name(&entries);
    for &(src, tgt) in &pairs {
        let (Ok(a), Ok(b)) = (&entries[src].outcome, &entries[tgt].outcome) else {
            continue;
        };
        let pair = bilingual::align_pair(&a.analysis, &b.analysis, termbase, false);
        for f in pair.flags.into_iter().flatten() {
            // The target's own check already reports its deprecated forms.
            match f.rule {
                Rule::DeprecatedTerm => {}
                Rule::Omission => entries[src].pair_flags.push(f),
                _ => entries[tgt].pair_flags.push(f),
            }
        }
    }

    // 3. Outputs of check and fix.
    let mut failed = 0usize;
    let mut report_lines = String::new();
    for entry in &entries {
        match &entry.outcome {
            Ok(fixed) => {
                let flags = entry.flags();
                let mut report = json::FileReport::new(&fixed.analysis, false);
                report.flags = &flags;
                report_lines.push_str(&json::line(&report));
                report_lines.push('\n');
                if let Err(e) = write_fixed(&args.out, &entry.path, fixed) {
                    eprintln!("error: {e}");
                    failed += 1;
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
                let report = json::ErrorReport {
                    path: entry.path.display().to_string(),
                    error: e.reason(),
                };
                report_lines.push_str(&json::line(&report));
                report_lines.push('\n');
            }
        }
    }
    let report_name = |ext: &str| match args.shard {
        Some(shard) => args.out.join(format!("report.{}.{ext}", shard.label())),
        None => args.out.join(format!("report.{ext}")),
    };
    write_atomic(&report_name("jsonl"), report_lines.as_bytes())?;

    // 4. Translation, when an engine is configured.
    let mut translation_note = NO_ENGINE.to_string();
    let mut stats: Option<Stats> = None;
    if let Some(config) = engine {
        let engine = translate::build_engine(&config)?;
        let cache = open_cache(&args.engine, global.quiet);
        let mut by_target: BTreeMap<String, Vec<(usize, Document)>> = BTreeMap::new();
        for (i, entry) in entries.iter().enumerate() {
            if let Ok(fixed) = &entry.outcome {
                let lang = fixed.analysis.detection.language.unwrap_or("und");
                let target = args.to.clone().unwrap_or_else(|| {
                    if lang == "en" {
                        "zh".into()
                    } else {
                        "en".into()
                    }
                });
                by_target
                    .entry(target)
                    .or_default()
                    .push((i, fixed.analysis.doc.clone()));
            }
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        let bilingual_dir = args.out.join("bilingual");
        std::fs::create_dir_all(&bilingual_dir)
            .with_context(|| format!("cannot create {}", bilingual_dir.display()))?;
        let mut total = Stats::default();
        let mut stopped = false;
        for (target, docs) in by_target {
            let settings = Settings {
                target_lang: target,
                source_lang: global.lang.clone(),
                analysis: options.clone(),
                policy: policy(&args.engine),
            };
            let progress = Reporter::new(!global.quiet && io::stderr().is_terminal(), global.quiet);
            let (ids, docs): (Vec<usize>, Vec<Document>) = docs.into_iter().unzip();
            let result = runtime.block_on(translate::translate_documents(
                docs,
                termbase,
                engine.as_ref(),
                cache.as_ref(),
                &settings,
                &progress,
            ));
            progress.finish();
            let code = super::translate::report(&bilingual_dir, &result, 0, cache.is_some(), true);
            if code != ExitCode::SUCCESS && result.stop.is_some() {
                stopped = true;
            }
            if let Some(stop) = &result.stop {
                eprintln!(
                    "error: translation stopped: {stop}; rerun the same command to resume (translated segments are cached)"
                );
            }
            for (id, doc) in ids.into_iter().zip(&result.documents) {
                if doc.is_complete() {
                    entries[id].translation = Some(
                        doc.pairs
                            .iter()
                            .map(|p| (p.source.clone(), p.target.clone().unwrap_or_default()))
                            .collect(),
                    );
                }
            }
            total.add(&result.stats);
        }
        translation_note = format!(
            "translation: {} distinct segment(s): {} translated, {} from the cache, {} failed; {} characters sent",
            total.unique, total.translated, total.from_cache, total.remaining, total.chars_sent
        );
        if stopped {
            failed += 1;
        }
        stats = Some(total);
    }

    // 5. The review report.
    let flags: Vec<Vec<Flag>> = entries.iter().map(Entry::flags).collect();
    let html_page = report_html(&entries, &flags, &translation_note);
    write_atomic(&report_name("html"), html_page.as_bytes())?;

    // 6. Summary.
    let mut out = io::stdout().lock();
    summary(
        &mut out,
        &entries,
        &flags,
        skipped,
        &translation_note,
        stats.as_ref(),
        &report_name("html"),
    )?;
    out.flush()?;
    if !global.quiet && stats.is_none() {
        eprintln!("{NO_ENGINE}");
    }
    let errors = flags
        .iter()
        .flatten()
        .any(|f| f.severity == Severity::Error);
    Ok(if failed > 0 {
        ExitCode::from(2)
    } else if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes the repaired copy under DIR/fixed/ and, when it changed, a unified diff under DIR/diff/.
fn write_fixed(out: &Path, path: &Path, fixed: &Fixed) -> transmend::Result<()> {
    let fixed_dir = out.join("fixed");
    let target = rewrite::out_path(&fixed_dir, path)?;
    rewrite::write_copy(&fixed_dir, path, &target, &fixed.bytes)?;
    if fixed.changed() {
        let diff_dir = out.join("diff");
        let mut target = rewrite::out_path(&diff_dir, path)?;
        let mut name = target
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(".diff");
        target.set_file_name(name);
        let name = path.display().to_string();
        let patch = diff::unified(&fixed.original, &fixed.bytes, &name);
        rewrite::write_copy(&diff_dir, path, &target, &patch)?;
    }
    Ok(())
}

/// `NAME.en.EXT` + `NAME.zh.EXT` in one folder: (source, target) index pairs. The English side is
/// taken as the original when one side is English, else the first by name.
fn pair_by_name(entries: &[Entry]) -> Vec<(usize, usize)> {
    let mut groups: HashMap<(PathBuf, String, String), Vec<(String, usize)>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(name) = e.path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let parts: Vec<&str> = name.split('.').collect();
        if parts.len() < 3 {
            continue;
        }
        let lang = parts[parts.len() - 2];
        if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        let stem = parts[..parts.len() - 2].join(".");
        let ext = parts[parts.len() - 1].to_string();
        let dir = e.path.parent().map(Path::to_path_buf).unwrap_or_default();
        groups
            .entry((dir, stem, ext))
            .or_default()
            .push((lang.to_string(), i));
    }
    let mut pairs = Vec::new();
    for (_, mut members) in groups {
        if members.len() != 2 {
            continue;
        }
        members.sort();
        let (a, b) = (members[0].clone(), members[1].clone());
        pairs.push(if b.0 == "en" { (b.1, a.1) } else { (a.1, b.1) });
    }
    pairs.sort_unstable();
    pairs
}

fn report_html(entries: &[Entry], flags: &[Vec<Flag>], translation_note: &str) -> String {
    let diffs: Vec<Option<String>> = entries
        .iter()
        .map(|e| match &e.outcome {
            Ok(fixed) => html::diff_fragment(&fixed.analysis.doc.text, &fixed.repaired.text),
            Err(_) => None,
        })
        .collect();
    let views: Vec<html::DocView<'_>> = entries
        .iter()
        .zip(flags)
        .zip(diffs)
        .map(|((e, flags), diff_html)| match &e.outcome {
            Ok(fixed) => {
                let a = &fixed.analysis;
                html::DocView {
                    path: e.path.display().to_string(),
                    encoding: a.doc.encoding_name(),
                    language: a.detection.language,
                    languages: a
                        .detection
                        .languages
                        .iter()
                        .map(|s| format!("{} {:.0}%", s.lang, s.share * 100.0))
                        .collect(),
                    text: &a.doc.text,
                    flags,
                    repaired: (fixed.repaired.text != a.doc.text)
                        .then_some(fixed.repaired.text.as_str()),
                    translation: e.translation.as_deref(),
                    diff_html,
                    error: None,
                }
            }
            Err(err) => html::DocView {
                path: e.path.display().to_string(),
                error: Some(err.reason()),
                ..html::DocView::default()
            },
        })
        .collect();
    html::report(
        "transmend review report",
        &views,
        &[translation_note.to_string()],
    )
}

fn summary(
    out: &mut dyn Write,
    entries: &[Entry],
    flags: &[Vec<Flag>],
    skipped: usize,
    translation_note: &str,
    stats: Option<&Stats>,
    report: &Path,
) -> io::Result<()> {
    let dir = report.parent().unwrap_or(Path::new("."));
    let done = entries.iter().filter(|e| e.outcome.is_ok()).count();
    let mut langs: BTreeMap<&str, usize> = BTreeMap::new();
    let mut repairs = (0usize, 0usize);
    for e in entries {
        if let Ok(fixed) = &e.outcome {
            *langs
                .entry(fixed.analysis.detection.language.unwrap_or("none"))
                .or_default() += 1;
            if fixed.changed() {
                repairs.0 += fixed.repaired.applied.len();
                repairs.1 += 1;
            }
        }
    }
    let langs: Vec<String> = langs.iter().map(|(l, n)| format!("{l} {n}")).collect();
    writeln!(
        out,
        "{done} document(s) checked ({}), {} could not be read, {skipped} skipped",
        langs.join(", "),
        entries.len() - done
    )?;
    let mut table: BTreeMap<Rule, [usize; 3]> = BTreeMap::new();
    for f in flags.iter().flatten() {
        let row = table.entry(f.rule).or_default();
        row[match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }] += 1;
    }
    writeln!(
        out,
        "{:<24}{:>7}{:>9}{:>6}",
        "flags", "error", "warning", "info"
    )?;
    for (rule, [e, w, i]) in &table {
        writeln!(out, "{:<24}{e:>7}{w:>9}{i:>6}", rule.id())?;
    }
    writeln!(
        out,
        "repairs applied: {} in {} document(s)",
        repairs.0, repairs.1
    )?;
    writeln!(
        out,
        "{}",
        if stats.is_some() {
            translation_note
        } else {
            "translation: skipped (no engine configured)"
        }
    )?;
    writeln!(
        out,
        "wrote {2} (and .jsonl), {0}/fixed/, {0}/diff/{1}",
        dir.display(),
        if stats.is_some() {
            format!(", {}/bilingual/", dir.display())
        } else {
            String::new()
        },
        report.display()
    )
}
