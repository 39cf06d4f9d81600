//! The layers hold (issue 26): the page's code (`src/ui`) reaches the engine only through the
//! client layer (`src/client`), never the workers, the training loop, Burn or the Burn module
//! itself; only the client speaks the worker protocol.

use std::fs;
use std::path::Path;

fn rust_files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((path.display().to_string(), fs::read_to_string(&path).unwrap()));
        }
    }
    out
}

/// `text` without line comments (a doc comment may name what the code must not use).
fn code(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_page_reaches_the_engine_only_through_the_client() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let forbidden =
        ["crate::engine", "crate::worker", "crate::training", "burn::", "crate::model::Nin", "ToWorker", "FromWorker", "ToRun", "ToEngine", "ToHelper"];
    let mut found = Vec::new();
    for (path, text) in rust_files(&root.join("src/ui")) {
        let code = code(&text);
        for f in forbidden {
            if code.contains(f) {
                found.push(format!("{path}: {f}"));
            }
        }
    }
    assert!(found.is_empty(), "the page reaches past the client layer:\n{}", found.join("\n"));
    // The worker protocol's page side is spoken by the client alone.
    for (path, text) in rust_files(&root.join("src")) {
        if !path.contains("/client/") && !path.contains("/worker/") && code(&text).contains("worker::host") {
            panic!("{path} drives workers itself");
        }
    }
}

#[test]
fn the_check_sees_a_forbidden_path() {
    assert!(code("use crate::engine::BackendKind; // fine").contains("crate::engine"));
    assert!(!code("// crate::engine in a comment").contains("crate::engine"));
}
