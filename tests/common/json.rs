//! ffprobe / exiftool JSON, parsed by `serde_json` and held as a small tree with lenient
//! accessors (`get` of a missing key is `Null`; numbers and strings both answer `str`,
//! `int`, `float`, since ffprobe prints some integers as strings). 64-bit integers
//! survive exactly.

use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

static NULL: Json = Json::Null;

impl From<serde_json::Value> for Json {
    fn from(v: serde_json::Value) -> Json {
        use serde_json::Value as V;
        match v {
            V::Null => Json::Null,
            V::Bool(b) => Json::Bool(b),
            V::Number(n) => Json::Num(n.to_string()),
            V::String(s) => Json::Str(s),
            V::Array(a) => Json::Arr(a.into_iter().map(Json::from).collect()),
            V::Object(m) => Json::Obj(m.into_iter().map(|(k, v)| (k, Json::from(v))).collect()),
        }
    }
}

impl Json {
    pub fn parse(text: &str) -> Result<Json, String> {
        serde_json::from_str::<serde_json::Value>(text).map(Json::from).map_err(|e| e.to_string())
    }

    /// `obj[key]`, or `Null` when absent / not an object.
    pub fn get(&self, key: &str) -> &Json {
        match self {
            Json::Obj(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    pub fn has(&self, key: &str) -> bool {
        matches!(self, Json::Obj(m) if m.iter().any(|(k, _)| k == key))
    }

    pub fn arr(&self) -> &[Json] {
        match self {
            Json::Arr(a) => a,
            _ => &[],
        }
    }

    /// String value (numbers give their text).
    pub fn str(&self) -> Option<&str> {
        match self {
            Json::Str(s) | Json::Num(s) => Some(s),
            _ => None,
        }
    }

    /// Integer value of a number or of a string holding an integer (ffprobe prints
    /// some integers, e.g. `size`, as strings).
    pub fn int(&self) -> Option<i64> {
        self.str().and_then(|s| s.trim().parse::<i64>().ok())
    }

    pub fn float(&self) -> Option<f64> {
        self.str().and_then(|s| s.trim().parse::<f64>().ok())
    }
}

impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => write!(f, "null"),
            Json::Bool(b) => write!(f, "{b}"),
            Json::Num(n) => write!(f, "{n}"),
            Json::Str(s) => write!(f, "{s:?}"),
            Json::Arr(a) => {
                write!(f, "[")?;
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{v}")?;
                }
                write!(f, "]")
            }
            Json::Obj(m) => {
                write!(f, "{{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "{k:?}:{v}")?;
                }
                write!(f, "}}")
            }
        }
    }
}

/// Decode ffprobe's `-show_data` hex dump ("00000000: 0102 0304 ...  ascii").
pub fn ffprobe_hexdump(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for line in s.lines() {
        if line.trim().is_empty() {
            continue;
        }
        // "%08x: " then 16 bytes as "%02x" with a space after every second byte,
        // blanks for missing bytes: 40 characters, then the ASCII column.
        let hex = &line[10..50.min(line.len())];
        let digits: Vec<u8> = hex.bytes().filter(|c| *c != b' ').collect();
        assert!(digits.len() % 2 == 0, "odd hex dump line {line:?}");
        for pair in digits.chunks(2) {
            let t = std::str::from_utf8(pair).unwrap();
            out.push(u8::from_str_radix(t, 16).unwrap_or_else(|_| panic!("bad hex {t:?} in {line:?}")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parses() {
        let j = Json::parse(r#"{"a":[1,"2",{"b":null}],"c":"x\"\u00e9y","d":-1.5e3,"e":true}"#).unwrap();
        assert_eq!(j.get("a").arr()[0].int(), Some(1));
        assert_eq!(j.get("a").arr()[1].int(), Some(2));
        assert_eq!(j.get("c").str(), Some("x\"éy"));
        assert_eq!(j.get("d").float(), Some(-1500.0));
        assert_eq!(ffprobe_hexdump("\n00000000: 0102 0304 05                             .....\n"), vec![1, 2, 3, 4, 5]);
    }
}
