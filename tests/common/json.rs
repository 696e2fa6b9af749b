//! A minimal JSON reader for ffprobe / exiftool output (no dependencies allowed here).
//! Numbers keep their source text so 64-bit values survive exactly.

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

impl Json {
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut p = Parser { b: text.as_bytes(), i: 0 };
        p.ws();
        let v = p.value()?;
        p.ws();
        if p.i != p.b.len() {
            return Err(format!("trailing characters at byte {}", p.i));
        }
        Ok(v)
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

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn err<T>(&self, what: &str) -> Result<T, String> {
        Err(format!("JSON: {what} at byte {}", self.i))
    }

    fn lit(&mut self, s: &str, v: Json) -> Result<Json, String> {
        if self.b[self.i..].starts_with(s.as_bytes()) {
            self.i += s.len();
            Ok(v)
        } else {
            self.err("bad literal")
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        match self.b.get(self.i) {
            None => self.err("unexpected end"),
            Some(b'{') => {
                self.i += 1;
                let mut m = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Json::Obj(m));
                }
                loop {
                    self.ws();
                    let k = match self.value()? {
                        Json::Str(s) => s,
                        _ => return self.err("object key is not a string"),
                    };
                    self.ws();
                    if self.b.get(self.i) != Some(&b':') {
                        return self.err("expected ':'");
                    }
                    self.i += 1;
                    self.ws();
                    let v = self.value()?;
                    m.push((k, v));
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Json::Obj(m));
                        }
                        _ => return self.err("expected ',' or '}'"),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Json::Arr(a));
                }
                loop {
                    self.ws();
                    a.push(self.value()?);
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Json::Arr(a));
                        }
                        _ => return self.err("expected ',' or ']'"),
                    }
                }
            }
            Some(b'"') => {
                self.i += 1;
                let mut s: Vec<u16> = Vec::new();
                let mut out = String::new();
                loop {
                    let Some(&c) = self.b.get(self.i) else { return self.err("unterminated string") };
                    self.i += 1;
                    match c {
                        b'"' => break,
                        b'\\' => {
                            let Some(&e) = self.b.get(self.i) else { return self.err("bad escape") };
                            self.i += 1;
                            let ch = match e {
                                b'n' => '\n',
                                b't' => '\t',
                                b'r' => '\r',
                                b'b' => '\u{8}',
                                b'f' => '\u{c}',
                                b'/' => '/',
                                b'\\' => '\\',
                                b'"' => '"',
                                b'u' => {
                                    let h = std::str::from_utf8(self.b.get(self.i..self.i + 4).unwrap_or(b"zzzz")).unwrap_or("zzzz");
                                    let Ok(u) = u16::from_str_radix(h, 16) else { return self.err("bad \\u escape") };
                                    self.i += 4;
                                    s.push(u);
                                    continue;
                                }
                                _ => return self.err("bad escape"),
                            };
                            if !s.is_empty() {
                                out.push_str(&String::from_utf16_lossy(&s));
                                s.clear();
                            }
                            out.push(ch);
                        }
                        _ => {
                            if !s.is_empty() {
                                out.push_str(&String::from_utf16_lossy(&s));
                                s.clear();
                            }
                            // Copy one UTF-8 sequence as is.
                            let start = self.i - 1;
                            let mut end = self.i;
                            while end < self.b.len() && (self.b[end] & 0xC0) == 0x80 {
                                end += 1;
                            }
                            out.push_str(&String::from_utf8_lossy(&self.b[start..end]));
                            self.i = end;
                        }
                    }
                }
                if !s.is_empty() {
                    out.push_str(&String::from_utf16_lossy(&s));
                }
                Ok(Json::Str(out))
            }
            Some(b't') => self.lit("true", Json::Bool(true)),
            Some(b'f') => self.lit("false", Json::Bool(false)),
            Some(b'n') => self.lit("null", Json::Null),
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = self.i;
                while self.i < self.b.len() && matches!(self.b[self.i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    self.i += 1;
                }
                Ok(Json::Num(String::from_utf8_lossy(&self.b[start..self.i]).into_owned()))
            }
            Some(_) => self.err("unexpected character"),
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
