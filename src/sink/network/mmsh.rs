//! MS-WMSP ("MMSH") over HTTP: the `$H` / `$D` / `$E` chunk framing and the lenient
//! request parser. Pure functions over bytes; no I/O.
//!
//! Facts used (MS-WMSP, checked against FFmpeg's `mmsh://` client, see
//! `reference/mmsh.md`): every chunk starts with `0x24` (`'$'`), a type byte and a
//! little-endian u16 PacketLength (bytes after that field). `$H` and `$D` then carry an
//! 8-byte MMS data packet header: u32 LocationId, u8 Incarnation, u8 AFFlags, u16
//! PacketSize (= PacketLength). `$E` carries a u32 reason (0 = normal end).
#![forbid(unsafe_code)]

/// Bytes of framing before the payload of a `$H` / `$D` chunk.
pub const DATA_FRAME_LEN: usize = 12;
/// Largest payload one `$H` / `$D` chunk can carry (u16 length minus the 8-byte MMS header).
pub const MAX_CHUNK_PAYLOAD: usize = 65_535 - 8;
/// The `$E` chunk for a normal end of stream (reason 0).
pub const END_CHUNK: [u8; 8] = [0x24, b'E', 4, 0, 0, 0, 0, 0];

/// Append one `$H` (`kind` `b'H'`) or `$D` (`b'D'`) chunk with `payload` to `out`.
/// `payload` must be at most [`MAX_CHUNK_PAYLOAD`] bytes.
pub fn push_chunk(out: &mut Vec<u8>, kind: u8, location: u32, af_flags: u8, payload: &[u8]) {
    debug_assert!(payload.len() <= MAX_CHUNK_PAYLOAD);
    let len = (8 + payload.len()) as u16;
    out.reserve(DATA_FRAME_LEN + payload.len());
    out.extend_from_slice(&[0x24, kind]);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&location.to_le_bytes());
    out.push(0); // Incarnation
    out.push(af_flags);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(payload);
}

/// The header (Header Object + the Data Object's first 50 bytes) as `$H` chunks: one
/// chunk when it fits (FFmpeg's client reads only the first), else pieces 0, 1, … .
pub fn header_chunks(header: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(header.len() + DATA_FRAME_LEN);
    for (i, piece) in header.chunks(MAX_CHUNK_PAYLOAD).enumerate() {
        push_chunk(&mut out, b'H', i as u32, 0x0C, piece);
    }
    out
}

/// One data packet as a `$D` chunk (LocationId = packet number).
pub fn data_chunk(packet_number: u32, packet: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(DATA_FRAME_LEN + packet.len());
    push_chunk(&mut out, b'D', packet_number, 0, packet);
    out
}

/// What a parsed request asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The method, as sent (`GET`, `HEAD`, …).
    pub method: String,
    /// The path without the query string.
    pub path: String,
    /// HTTP minor version (`HTTP/1.0` → 0, `HTTP/1.1` → 1).
    pub minor: u8,
    /// `User-Agent`, or empty.
    pub user_agent: String,
    /// Every `Pragma` value, in order.
    pub pragmas: Vec<String>,
}

/// Why a request could not be parsed (each maps to one HTTP status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadRequest {
    /// Not an HTTP request line / header block (400).
    Malformed,
    /// Not HTTP/1.0 or 1.1 (505).
    Version,
}

impl Request {
    /// Parse a request head (request line and headers, up to the blank line).
    /// Lenient in what FFmpeg's client really sends: a `Pragma` line with a following
    /// header glued on (`stream-time=0Connection: Close`), header names in any case,
    /// bare `\n` line ends.
    pub fn parse(head: &[u8]) -> Result<Request, BadRequest> {
        let text = std::str::from_utf8(head).map_err(|_| BadRequest::Malformed)?;
        let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let first = lines.next().ok_or(BadRequest::Malformed)?;
        let mut parts = first.split(' ').filter(|p| !p.is_empty());
        let (method, target, version) = match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(m), Some(t), Some(v), None) => (m, t, v),
            _ => return Err(BadRequest::Malformed),
        };
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || !target.starts_with('/') {
            return Err(BadRequest::Malformed);
        }
        let minor = match version {
            "HTTP/1.0" => 0,
            "HTTP/1.1" => 1,
            v if v.starts_with("HTTP/") => return Err(BadRequest::Version),
            _ => return Err(BadRequest::Malformed),
        };
        let path = target.split(['?', '#']).next().unwrap_or("/").to_string();
        let mut req = Request { method: method.to_string(), path, minor, user_agent: String::new(), pragmas: Vec::new() };
        for line in lines {
            if line.is_empty() {
                break;
            }
            let Some((name, value)) = line.split_once(':') else {
                return Err(BadRequest::Malformed);
            };
            if name.is_empty() || name.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
                return Err(BadRequest::Malformed);
            }
            let value = value.trim();
            if name.eq_ignore_ascii_case("user-agent") {
                req.user_agent = value.to_string();
            } else if name.eq_ignore_ascii_case("pragma") {
                req.pragmas.push(value.to_string());
            }
        }
        Ok(req)
    }

    /// The `key=value` (or bare `key`) tokens of every Pragma line, keys lower-cased.
    pub fn pragma_tokens(&self) -> impl Iterator<Item = (String, &str)> {
        self.pragmas.iter().flat_map(|p| p.split(',')).filter_map(|t| {
            let t = t.trim();
            if t.is_empty() {
                return None;
            }
            let (k, v) = t.split_once('=').unwrap_or((t, ""));
            Some((k.trim().to_ascii_lowercase(), v.trim()))
        })
    }

    /// An MMSH client: a Windows Media player User-Agent or an `xClientGUID` Pragma.
    pub fn is_mmsh(&self) -> bool {
        let ua = self.user_agent.to_ascii_lowercase();
        ua.contains("nsplayer")
            || ua.contains("nsserver")
            || ua.contains("windows-media-player")
            || self.pragma_tokens().any(|(k, _)| k == "xclientguid")
    }

    /// An MMSH Play request (`Pragma: xPlayStrm=1`), found even inside a malformed line.
    pub fn is_play(&self) -> bool {
        self.pragma_tokens().any(|(k, v)| k == "xplaystrm" && v.starts_with('1'))
            || self.pragmas.iter().any(|p| p.to_ascii_lowercase().contains("xplaystrm=1"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_layout() {
        let c = data_chunk(7, &[1, 2, 3]);
        assert_eq!(c, [0x24, b'D', 11, 0, 7, 0, 0, 0, 0, 0, 11, 0, 1, 2, 3]);
        let h = header_chunks(&[9; 10]);
        assert_eq!(&h[..12], &[0x24, b'H', 18, 0, 0, 0, 0, 0, 0, 0x0C, 18, 0]);
        let big = header_chunks(&vec![0; MAX_CHUNK_PAYLOAD + 5]);
        assert_eq!(big.len(), MAX_CHUNK_PAYLOAD + 5 + 2 * DATA_FRAME_LEN);
        assert_eq!(&big[12 + MAX_CHUNK_PAYLOAD..][..8], &[0x24, b'H', 13, 0, 1, 0, 0, 0]);
    }

    #[test]
    fn ffmpeg_play_request() {
        let r = b"GET / HTTP/1.1\r\nAccept: */*\r\nUser-Agent: NSPlayer/4.1.0.3856\r\nHost: 127.0.0.1:8080\r\n\
Pragma: no-cache,rate=1.000000,request-context=2\r\nPragma: xPlayStrm=1\r\n\
Pragma: xClientGUID={c77e7400-738a-11d2-9add-0020af0a3278}\r\nPragma: stream-switch-count=2\r\n\
Pragma: stream-switch-entry=ffff:1:0 ffff:2:0 \r\nPragma: no-cache,rate=1.000000,stream-time=0Connection: Close\r\n\r\n";
        let q = Request::parse(r).unwrap();
        assert!(q.is_mmsh() && q.is_play());
        assert_eq!((q.method.as_str(), q.path.as_str(), q.minor), ("GET", "/", 1));
        let d = Request::parse(b"GET /?x HTTP/1.0\r\nUser-Agent: NSPlayer/4.1\r\nPragma: no-cache,rate=1.000000,stream-time=0\r\n\r\n")
            .unwrap();
        assert!(d.is_mmsh() && !d.is_play());
        assert_eq!(d.path, "/");
        let p = Request::parse(b"GET / HTTP/1.1\nUser-Agent: Lavf/59.27.100\n\n").unwrap();
        assert!(!p.is_mmsh() && !p.is_play());
    }

    #[test]
    fn bad_requests() {
        for r in [
            &b"\x00\x01garbage"[..],
            b"GET\r\n\r\n",
            b"get / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            b"GET x HTTP/1.1\r\n\r\n",
        ] {
            assert_eq!(Request::parse(r), Err(BadRequest::Malformed), "{:?}", String::from_utf8_lossy(r));
        }
        assert_eq!(Request::parse(b"GET / HTTP/2.0\r\n\r\n"), Err(BadRequest::Version));
    }
}
