//! Holds the line of ARCHITECTURE.md: the model and layout layers are pure Rust with no web
//! dependencies, and trace text never reaches `inner_html`.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn sources(sub: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(sub),
        &mut files,
    );
    assert!(!files.is_empty(), "no sources under src/{sub}");
    files
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn model_and_layout_have_no_web_dependencies() {
    for layer in ["model", "layout"] {
        for (path, text) in sources(layer) {
            for forbidden in [
                "leptos",
                "web_sys",
                "js_sys",
                "wasm_bindgen",
                "gloo",
                "crate::ui",
                "crate::api",
            ] {
                assert!(
                    !text.contains(forbidden),
                    "{path} uses {forbidden}: {layer}/ must stay pure"
                );
            }
        }
    }
}

#[test]
fn no_html_injection_anywhere_in_the_ui() {
    for (path, text) in sources("ui") {
        for forbidden in [
            "inner_html",
            "set_inner_html",
            "outer_html",
            "insert_adjacent_html",
        ] {
            assert!(
                !text.contains(forbidden),
                "{path} uses {forbidden}: trace text must be inserted as text nodes"
            );
        }
    }
}
