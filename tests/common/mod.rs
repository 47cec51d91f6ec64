//! Helpers shared by the CLI integration tests: run the real binary from the crate root.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The `transmend` binary built by cargo for these tests, run from the crate root.
pub fn transmend() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_transmend"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd.env_remove("RUST_LOG");
    cmd
}

/// Runs `check --format json` on paths; returns the exit code and the parsed lines.
pub fn check_json(paths: &[&Path]) -> (i32, Vec<Value>) {
    let out = transmend()
        .args(["check", "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l}: {e}")))
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}
