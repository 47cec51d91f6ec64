//! The module graph stays one-way. Every `crate::`, `super::` and `self::` path in the
//! library and in the binary (outside `#[cfg(test)]` modules, comments and strings) is an
//! arrow from its file to the deepest module file it names; `mod` declarations and `pub use`
//! re-exports are not arrows (a facade `mod.rs` may re-export what its children define). A
//! cycle of arrows between files fails the test, with the paths that make it.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A module path from the crate root: `["check", "terms"]`.
type ModPath = Vec<String>;

/// Every module file of the crate rooted at `root` (`lib.rs` or `main.rs`), by module path.
fn modules(src: &Path, root: &str) -> BTreeMap<ModPath, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![(Vec::new(), src.join(root))];
    while let Some((path, file)) = stack.pop() {
        let code = strip(&std::fs::read_to_string(&file).unwrap());
        let dir = if path.is_empty() || file.ends_with("mod.rs") {
            file.parent().unwrap().to_path_buf()
        } else {
            file.with_extension("")
        };
        for child in declared_modules(&code) {
            let mut child_path = path.clone();
            child_path.push(child.clone());
            let flat = dir.join(format!("{child}.rs"));
            let nested = dir.join(&child).join("mod.rs");
            let found = if flat.is_file() { flat } else { nested };
            assert!(
                found.is_file(),
                "{}: mod {child} has no file",
                file.display()
            );
            stack.push((child_path, found));
        }
        out.insert(path, file);
    }
    out
}

/// `mod NAME;` declarations (not inline `mod NAME { ... }` blocks).
fn declared_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.trim();
        let rest = line
            .strip_prefix("pub(crate) mod ")
            .or_else(|| line.strip_prefix("pub mod "))
            .or_else(|| line.strip_prefix("mod "));
        if let Some(name) = rest.and_then(|r| r.strip_suffix(';')) {
            out.push(name.trim().to_string());
        }
    }
    out
}

/// The code without comments, string and char literals, and `#[cfg(test)]` items.
fn strip(code: &str) -> String {
    let bytes: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < bytes.len() {
                if bytes[i] == '/' && bytes.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if bytes[i] == '*' && bytes.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('"') | Some('#')) && !ident_before(&bytes, i) {
            // Raw string r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while bytes.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if bytes.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= bytes.len() {
                    break;
                }
                if bytes[j] == '"' && (0..hashes).all(|k| bytes.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < bytes.len() && bytes[i] != '"' {
                if bytes[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && is_char_literal(&bytes, i) {
            i += 1;
            while i < bytes.len() && bytes[i] != '\'' {
                if bytes[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    remove_test_modules(&out)
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// `'x'`, `'\n'`, `'\u{..}'` rather than a lifetime `'a`.
fn is_char_literal(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some('\\') => true,
        Some(_) => chars.get(i + 2) == Some(&'\''),
        None => false,
    }
}

/// Drops every item that follows a `#[cfg(test)]` attribute, up to its closing brace.
fn remove_test_modules(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find('{') else {
            return out;
        };
        let semicolon = after.find(';').unwrap_or(usize::MAX);
        if semicolon < open {
            rest = &after[semicolon + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (k, ch) in after[open..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Every path a file's code names, from its crate's root: `use` trees expanded, paths in
/// expressions and types included. A `pub use` re-export counts only when the file's own
/// code uses a name it brings in (a facade that only hands names on depends on nothing).
/// `children` are the modules the file declares, which its code may name without `self::`.
fn named_paths(code: &str, module: &[String], children: &[String]) -> Vec<ModPath> {
    let mut out = Vec::new();
    let tokens = tokenize(code);
    // Names brought in by `pub use`, with the path each stands for.
    let mut reexported: Vec<(String, ModPath)> = Vec::new();
    // Tokens outside use statements, where those names may be used.
    let mut body: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let is_pub = t == "pub";
        if t == "use" || (is_pub && use_follows(&tokens, i)) {
            let start = if is_pub {
                tokens[i..].iter().position(|t| t == "use").unwrap() + i
            } else {
                i
            };
            let end = tokens[start..].iter().position(|t| t == ";").unwrap() + start;
            let mut paths = Vec::new();
            expand_use(&tokens[start + 1..end], &[], &mut paths);
            for (p, alias) in paths {
                if let Some(abs) = absolute(&p, module, children) {
                    if is_pub {
                        let name = alias.or_else(|| p.last().cloned()).unwrap_or_default();
                        reexported.push((name, abs));
                    } else {
                        out.push(abs);
                    }
                }
            }
            i = end + 1;
            continue;
        }
        body.push(t);
        if matches!(t, "crate" | "super" | "self")
            || (children.iter().any(|c| c == t)
                && tokens.get(i + 1).map(String::as_str) == Some("::"))
        {
            let before = i.checked_sub(1).map(|k| tokens[k].as_str());
            if before != Some("::") && before != Some("mod") {
                let mut path = vec![t.to_string()];
                let mut j = i + 1;
                while tokens.get(j).map(String::as_str) == Some("::")
                    && tokens
                        .get(j + 1)
                        .is_some_and(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_'))
                {
                    path.push(tokens[j + 1].clone());
                    j += 2;
                }
                if path.len() > 1
                    && let Some(abs) = absolute(&path, module, children)
                {
                    out.push(abs);
                }
                i = j;
                continue;
            }
        }
        i += 1;
    }
    for (name, path) in reexported {
        if body.iter().any(|t| *t == name) {
            out.push(path);
        }
    }
    out
}

fn use_follows(tokens: &[String], i: usize) -> bool {
    // pub use | pub ( crate ) use | pub ( super ) use
    tokens.get(i + 1).map(String::as_str) == Some("use")
        || (tokens.get(i + 1).map(String::as_str) == Some("(")
            && tokens.get(i + 3).map(String::as_str) == Some(")")
            && tokens.get(i + 4).map(String::as_str) == Some("use"))
}

/// Expands a use tree (`a::{b, c::{d as e}}`) into paths, each with its alias.
fn expand_use(tokens: &[String], prefix: &[String], out: &mut Vec<(ModPath, Option<String>)>) {
    let mut i = 0;
    let mut path = prefix.to_vec();
    let mut alias = None;
    while i < tokens.len() {
        match tokens[i].as_str() {
            "::" => i += 1,
            "{" => {
                // Split the group at top-level commas.
                let mut depth = 0;
                let mut start = i + 1;
                let mut k = i;
                while k < tokens.len() {
                    match tokens[k].as_str() {
                        "{" => depth += 1,
                        "}" => {
                            depth -= 1;
                            if depth == 0 {
                                expand_use(&tokens[start..k], &path, out);
                                break;
                            }
                        }
                        "," if depth == 1 => {
                            expand_use(&tokens[start..k], &path, out);
                            start = k + 1;
                        }
                        _ => {}
                    }
                    k += 1;
                }
                return;
            }
            "as" => {
                alias = tokens.get(i + 1).cloned();
                i += 2;
            }
            "*" => i += 1,
            word => {
                path.push(word.to_string());
                i += 1;
            }
        }
    }
    if !path.is_empty() {
        out.push((path, alias));
    }
}

/// A path as named in `module`, from the crate root; `None` for other crates and std.
fn absolute(path: &[String], module: &[String], children: &[String]) -> Option<ModPath> {
    let mut base: Vec<String> = module.to_vec();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &path[1..];
        }
        Some("self") => rest = &path[1..],
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some(first) if children.iter().any(|c| c == first) => {}
        _ => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// Identifiers, `::`, and single punctuation characters.
fn tokenize(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
        } else if c.is_whitespace() {
            i += 1;
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

/// The deepest module of `path` that is a file of the crate.
fn resolve<'a>(path: &[String], files: &'a BTreeMap<ModPath, PathBuf>) -> Option<&'a ModPath> {
    (0..=path.len())
        .rev()
        .find_map(|n| files.get_key_value(&path[..n]).map(|(k, _)| k))
}

/// File -> files it names, for the crate rooted at `root`.
fn graph(src: &Path, root: &str) -> BTreeMap<ModPath, BTreeMap<ModPath, BTreeSet<String>>> {
    let files = modules(src, root);
    let mut edges: BTreeMap<ModPath, BTreeMap<ModPath, BTreeSet<String>>> = BTreeMap::new();
    for (module, file) in &files {
        let code = strip(&std::fs::read_to_string(file).unwrap());
        let children = declared_modules(&code);
        let targets = edges.entry(module.clone()).or_default();
        for path in named_paths(&code, module, &children) {
            if let Some(to) = resolve(&path, &files)
                && to != module
                && !to.is_empty()
            {
                targets
                    .entry(to.clone())
                    .or_default()
                    .insert(path.join("::"));
            }
        }
    }
    edges
}

/// Strongly connected components with more than one file (Tarjan).
fn cycles(edges: &BTreeMap<ModPath, BTreeMap<ModPath, BTreeSet<String>>>) -> Vec<Vec<ModPath>> {
    struct State<'a> {
        edges: &'a BTreeMap<ModPath, BTreeMap<ModPath, BTreeSet<String>>>,
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        stack: Vec<&'a ModPath>,
        on_stack: BTreeSet<&'a ModPath>,
        next: usize,
        found: Vec<Vec<ModPath>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a ModPath) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.edges.get(v) {
            for w in targets.keys() {
                let Some((w, _)) = s.edges.get_key_value(w) else {
                    continue;
                };
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w) {
                    let low = s.low[v].min(s.index[w]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.found
}

fn describe(
    cycle: &[ModPath],
    edges: &BTreeMap<ModPath, BTreeMap<ModPath, BTreeSet<String>>>,
) -> String {
    let members: BTreeSet<&ModPath> = cycle.iter().collect();
    let mut lines = Vec::new();
    for from in cycle {
        for (to, names) in &edges[from] {
            if members.contains(to) {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                lines.push(format!(
                    "  {} -> {}: {}",
                    from.join("::"),
                    to.join("::"),
                    names.join(", ")
                ));
            }
        }
    }
    lines.join("\n")
}

fn assert_acyclic(root: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = graph(&src, root);
    let found = cycles(&edges);
    let report: Vec<String> = found.iter().map(|c| describe(c, &edges)).collect();
    assert!(
        found.is_empty(),
        "modules of {root} that import each other in a loop:\n{}",
        report.join("\n\n")
    );
}

#[test]
fn the_library_module_graph_has_no_cycle() {
    assert_acyclic("lib.rs");
}

#[test]
fn the_binary_module_graph_has_no_cycle() {
    assert_acyclic("main.rs");
}

/// The test sees what it must: a planted cycle in a scratch crate is reported, with the path
/// that closes it; `pub use`, comments, strings and test modules are not arrows.
#[test]
fn a_planted_cycle_is_found_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("b")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod a;\npub mod b;\npub mod c;\n").unwrap();
    std::fs::write(
        src.join("a.rs"),
        "use crate::b::{inner::{Thing, Other as O}, helper};\n// crate::c::ignored\nfn f() { let s = \"crate::c::x\"; }\n",
    )
    .unwrap();
    std::fs::write(
        src.join("b/mod.rs"),
        "pub mod inner;\npub use crate::c::Reexported;\npub use crate::c::{Used as Alias};\nfn g() { inner::go(); Alias::new(); }\n#[cfg(test)]\nmod tests { use crate::c::T; }\n",
    )
    .unwrap();
    std::fs::write(src.join("b/inner.rs"), "fn h() { crate::a::f(); }\n").unwrap();
    std::fs::write(src.join("c.rs"), "use super::b::helper;\n").unwrap();
    let edges = graph(src, "lib.rs");
    let names = |m: &str| -> Vec<String> {
        let key: ModPath = m.split("::").map(String::from).collect();
        edges[&key].keys().map(|k| k.join("::")).collect()
    };
    assert_eq!(names("a"), ["b", "b::inner"]);
    assert_eq!(
        names("b"),
        ["b::inner", "c"],
        "a re-export is an arrow only when used (Alias); test modules are none"
    );
    assert_eq!(names("b::inner"), ["a"]);
    assert_eq!(names("c"), ["b"]);
    let found = cycles(&edges);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].len(),
        4,
        "a -> b -> c -> b, b::inner -> a: {found:?}"
    );
    let text = describe(&found[0], &edges);
    assert!(text.contains("b::inner -> a: a::f"), "{text}");
    assert!(
        text.contains("a -> b::inner: b::inner::Other, b::inner::Thing"),
        "{text}"
    );
}
