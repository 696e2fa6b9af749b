//! Fails when include/wmwriter.h differs from what cbindgen generates from the
//! sources. `WMWRITER_BLESS=1 cargo test --test header_up_to_date` rewrites it.

use std::path::PathBuf;

#[test]
fn header_is_up_to_date() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml parses");
    let mut generated = Vec::new();
    cbindgen::Builder::new().with_crate(&root).with_config(config).generate().expect("cbindgen generates the header").write(&mut generated);
    let generated = String::from_utf8(generated).expect("UTF-8 header");
    for line in generated.lines().filter(|l| l.starts_with("#define ")) {
        let name = line.split_whitespace().nth(1).unwrap_or("");
        let ok = ["WM", "S_", "E_", "NS_E_", "ASF_E_", "CLSID_"].iter().any(|p| name.starts_with(p));
        assert!(ok, "a domain constant leaked into the C header: {line} (add it to [export] exclude in cbindgen.toml)");
    }
    for line in generated.lines().filter(|l| l.starts_with("typedef struct ") && l.ends_with(';')) {
        assert!(line.contains(" WM"), "a domain type leaked into the C header: {line}");
    }
    let path = root.join("include/wmwriter.h");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if std::env::var_os("WMWRITER_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write header");
        return;
    }
    if committed != generated {
        let first_diff = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(committed.lines().count().min(generated.lines().count()));
        panic!(
            "include/wmwriter.h is stale (first difference at line {}). Regenerate it with:\n  WMWRITER_BLESS=1 cargo test --test header_up_to_date\ncommitted: {:?}\ngenerated: {:?}",
            first_diff + 1,
            committed.lines().nth(first_diff),
            generated.lines().nth(first_diff)
        );
    }
}
