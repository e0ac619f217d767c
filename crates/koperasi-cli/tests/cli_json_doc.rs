//! Every example of `docs/cli-json.md` is run from the repository root and its output must
//! equal the JSON the document shows, with the exit code of its `# exit` line (0 without).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Splits a command line into words: spaces separate, single quotes group.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    assert!(!quoted, "unbalanced quote in {line:?}");
    if any {
        out.push(cur);
    }
    out
}

struct Example {
    section: String,
    command: String,
    exit: i32,
    json: String,
}

fn examples() -> (Vec<Example>, Vec<String>) {
    let text = std::fs::read_to_string(root().join("docs/cli-json.md")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut sections = Vec::new();
    let mut section = String::from("(top)");
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(h) = line.strip_prefix("## ") {
            h.clone_into(&mut section);
            sections.push(section.clone());
        }
        if line == "```sh" {
            let command = lines[i + 1]
                .strip_prefix("$ ")
                .unwrap_or_else(|| panic!("line {}: expected `$ koperasi …`", i + 2))
                .to_owned();
            let mut j = i + 2;
            let mut exit = 0;
            if let Some(code) = lines[j].strip_prefix("# exit ") {
                exit = code.parse().unwrap();
                j += 1;
            }
            assert_eq!(lines[j], "```", "line {}", j + 1);
            j += 1;
            while lines[j].is_empty() {
                j += 1;
            }
            assert_eq!(lines[j], "```json", "line {}: the example's output", j + 1);
            j += 1;
            let mut json = String::new();
            while lines[j] != "```" {
                json.push_str(lines[j]);
                json.push('\n');
                j += 1;
            }
            out.push(Example {
                section: section.clone(),
                command,
                exit,
                json,
            });
            i = j;
        }
        i += 1;
    }
    (out, sections)
}

#[test]
fn every_documented_json_example_matches_the_command() {
    let (examples, sections) = examples();
    assert!(examples.len() >= 20, "{} examples", examples.len());
    // Every subcommand section (but the one that points elsewhere) has an example.
    for s in sections
        .iter()
        .filter(|s| s.starts_with('`') && !s.contains("demo"))
    {
        assert!(
            examples.iter().any(|e| &e.section == s),
            "section {s} has no example"
        );
    }
    for e in &examples {
        let w = words(&e.command);
        assert_eq!(w[0], "koperasi", "{}", e.command);
        let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
            .args(&w[1..])
            .current_dir(root())
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            out.status.code(),
            Some(e.exit),
            "{}: {stdout}{}",
            e.command,
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(stdout.lines().count(), 1, "{}: one JSON line", e.command);
        let actual: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let documented: serde_json::Value = serde_json::from_str(&e.json)
            .unwrap_or_else(|err| panic!("{}: documented JSON: {err}", e.command));
        assert_eq!(
            actual, documented,
            "{} ({}): docs/cli-json.md differs from the output",
            e.command, e.section
        );
    }
}

#[test]
fn words_split_like_the_shell_for_single_quotes() {
    assert_eq!(
        words("koperasi qris build --merchant-name 'TOKO CONTOH' --city X"),
        [
            "koperasi",
            "qris",
            "build",
            "--merchant-name",
            "TOKO CONTOH",
            "--city",
            "X"
        ]
    );
}
