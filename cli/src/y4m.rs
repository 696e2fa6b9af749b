//! A YUV4MPEG2 reader: 4:2:0 (`C420`, `C420jpeg`, `C420mpeg2`, `C420paldv`, or no `C`)
//! frames come out as I420; 4:2:2 (`C422`) frames are repacked to YUY2. Frames are
//! streamed one at a time.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{bad_input, read_error, CliError, Result};

/// How frames are stored in the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Planar 4:2:0, written as I420 unchanged.
    I420,
    /// Planar 4:2:2, repacked to YUY2 (Y0 U Y1 V).
    Yuy2,
}

/// The stream header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Y4mHeader {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Frame rate numerator.
    pub fps_num: u32,
    /// Frame rate denominator.
    pub fps_den: u32,
    /// Frame layout.
    pub layout: Layout,
    /// The `C` tag as written ("420jpeg"; "" when absent).
    pub colorspace: String,
    /// The `I` tag: "p" progressive, "t" top field first, "b" bottom field first, "m"
    /// mixed ("" when absent).
    pub interlacing: String,
}

impl Y4mHeader {
    /// Parse the header line (without the newline).
    pub fn parse(path: &Path, line: &str) -> Result<Self> {
        let mut words = line.split(' ').filter(|w| !w.is_empty());
        if words.next() != Some("YUV4MPEG2") {
            return Err(bad_input(path, "not a YUV4MPEG2 file (no YUV4MPEG2 signature)"));
        }
        let (mut width, mut height, mut fps, mut colorspace, mut interlacing) = (None, None, None, String::new(), String::new());
        for w in words {
            let (tag, val) = w.split_at(1);
            let num = |v: &str| v.parse::<u32>().map_err(|_| bad_input(path, format!("bad header field {w:?}")));
            match tag {
                "W" => width = Some(num(val)?),
                "H" => height = Some(num(val)?),
                "F" => {
                    let (n, d) = val.split_once(':').ok_or_else(|| bad_input(path, format!("bad frame rate {w:?} (want F<num>:<den>)")))?;
                    fps = Some((num(n)?, num(d)?));
                }
                "C" => colorspace = val.to_string(),
                "I" => interlacing = val.to_string(),
                _ => {} // A (aspect), X (extensions): not needed
            }
        }
        let width = width.filter(|w| *w > 0).ok_or_else(|| bad_input(path, "the header has no W (width)"))?;
        let height = height.filter(|h| *h > 0).ok_or_else(|| bad_input(path, "the header has no H (height)"))?;
        let (fps_num, fps_den) = fps.ok_or_else(|| bad_input(path, "the header has no F (frame rate)"))?;
        if fps_num == 0 || fps_den == 0 {
            return Err(bad_input(path, format!("frame rate {fps_num}:{fps_den} is not valid")));
        }
        let layout = match colorspace.as_str() {
            "" | "420" | "420jpeg" | "420mpeg2" | "420paldv" => Layout::I420,
            "422" => Layout::Yuy2,
            other => {
                return Err(CliError::new(
                    "NS_E_INVALID_INPUT_FORMAT",
                    format!(
                        "{}: colour space C{other} is not supported (only 8-bit 4:2:0 → I420 and 4:2:2 → YUY2); convert with `ffmpeg -i in.y4m -pix_fmt yuv420p out.y4m`",
                        path.display()
                    ),
                ))
            }
        };
        Ok(Y4mHeader { width, height, fps_num, fps_den, layout, colorspace, interlacing })
    }

    /// Bytes of one frame in the file.
    pub fn input_frame_bytes(&self) -> usize {
        let (w, h) = (self.width as usize, self.height as usize);
        match self.layout {
            Layout::I420 => w * h + 2 * (w.div_ceil(2) * h.div_ceil(2)),
            Layout::Yuy2 => w * h + 2 * (w.div_ceil(2) * h),
        }
    }

    /// Bytes of one frame as written (I420 or YUY2).
    pub fn output_frame_bytes(&self) -> usize {
        match self.layout {
            Layout::I420 => self.input_frame_bytes(),
            Layout::Yuy2 => (self.width as usize).div_ceil(2) * 4 * self.height as usize,
        }
    }

    /// Time of frame `i` (100 ns).
    pub fn frame_time(&self, i: u64) -> u64 {
        (i as u128 * 10_000_000 * self.fps_den as u128 / self.fps_num as u128) as u64
    }
}

/// An open Y4M file.
#[derive(Debug)]
pub struct Y4mReader {
    path: PathBuf,
    /// The header.
    pub header: Y4mHeader,
    /// Frames the file holds if none is cut short (for progress).
    pub frames_estimate: u64,
    file: BufReader<File>,
    raw: Vec<u8>,
    frames_read: u64,
}

impl Y4mReader {
    /// Open `path` and read its header.
    pub fn open(path: &Path) -> Result<Self> {
        let f = File::open(path).map_err(|e| read_error(path, e))?;
        let file_len = f.metadata().map_err(|e| read_error(path, e))?.len();
        let mut file = BufReader::with_capacity(1 << 20, f);
        let head = file.fill_buf().map_err(|e| read_error(path, e))?;
        if head.is_empty() {
            return Err(bad_input(path, "not a YUV4MPEG2 file: it is empty"));
        }
        if !head.starts_with(b"YUV4MPEG2") {
            let hint = if head.starts_with(b"RIFF") {
                " (it is a RIFF/WAV file: give audio with --audio FILE.wav)"
            } else if head.starts_with(&[0x30, 0x26, 0xB2, 0x75]) {
                " (it is an ASF file)"
            } else {
                ""
            };
            return Err(bad_input(path, format!("not a YUV4MPEG2 file: it does not start with \"YUV4MPEG2\"{hint}")));
        }
        let line = read_line(path, &mut file, 4096)?.ok_or_else(|| bad_input(path, "the file is empty"))?;
        let header = Y4mHeader::parse(path, &line)?;
        let per_frame = header.input_frame_bytes() as u64 + 6;
        let frames_estimate = file_len.saturating_sub(line.len() as u64 + 1) / per_frame;
        Ok(Y4mReader { path: path.to_path_buf(), header, frames_estimate, file, raw: Vec::new(), frames_read: 0 })
    }

    /// Read the next frame into `out` in the output layout; `false` at the end.
    pub fn next_frame(&mut self, out: &mut Vec<u8>) -> Result<bool> {
        let Some(line) = read_line(&self.path, &mut self.file, 4096)? else {
            return Ok(false);
        };
        let n = self.frames_read;
        if line != "FRAME" && !line.starts_with("FRAME ") {
            return Err(bad_input(&self.path, format!("frame {n}: expected a FRAME marker, found {:?}", truncate(&line))));
        }
        let size = self.header.input_frame_bytes();
        let target = if self.header.layout == Layout::I420 { &mut *out } else { &mut self.raw };
        target.resize(size, 0);
        self.file.read_exact(target).map_err(|_| bad_input(&self.path, format!("frame {n} is cut short")))?;
        if self.header.layout == Layout::Yuy2 {
            repack_422_to_yuy2(&self.raw, self.header.width as usize, self.header.height as usize, out);
        }
        self.frames_read += 1;
        Ok(true)
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// One '\n'-terminated line (without it), at most `max` bytes; `None` at a clean end.
fn read_line(path: &Path, r: &mut impl BufRead, max: usize) -> Result<Option<String>> {
    let mut buf = Vec::new();
    let n = r.by_ref().take(max as u64 + 1).read_until(b'\n', &mut buf).map_err(|e| read_error(path, e))?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() != Some(&b'\n') {
        return Err(bad_input(path, "a header line is too long or not terminated"));
    }
    buf.pop();
    String::from_utf8(buf).map(Some).map_err(|_| bad_input(path, "a header line is not text"))
}

/// Planar 4:2:2 (Y plane, then U and V at half width, full height) → packed YUY2.
/// An odd last column repeats its luma.
pub fn repack_422_to_yuy2(planar: &[u8], w: usize, h: usize, out: &mut Vec<u8>) {
    let cw = w.div_ceil(2);
    let (y, rest) = planar.split_at(w * h);
    let (u, v) = rest.split_at(cw * h);
    out.clear();
    out.reserve(cw * 4 * h);
    for row in 0..h {
        let yr = &y[row * w..(row + 1) * w];
        for i in 0..cw {
            let y0 = yr[2 * i];
            let y1 = *yr.get(2 * i + 1).unwrap_or(&y0);
            out.extend_from_slice(&[y0, u[row * cw + i], y1, v[row * cw + i]]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields() {
        let p = Path::new("x.y4m");
        let h = Y4mHeader::parse(p, "YUV4MPEG2 W160 H120 F25:1 Ip A1:1 C420jpeg XYSCSS=420JPEG").unwrap();
        assert_eq!((h.width, h.height, h.fps_num, h.fps_den, h.layout), (160, 120, 25, 1, Layout::I420));
        assert_eq!(h.interlacing, "p");
        assert_eq!(h.input_frame_bytes(), 160 * 120 * 3 / 2);
        assert_eq!(h.frame_time(3), 1_200_000);
        let h = Y4mHeader::parse(p, "YUV4MPEG2 W3 H2 F30000:1001").unwrap();
        assert_eq!(h.layout, Layout::I420);
        assert_eq!(h.input_frame_bytes(), 6 + 2 * 2);
        assert_eq!(h.frame_time(1), 333_666);
        assert_eq!(Y4mHeader::parse(p, "YUV4MPEG2 W3 H2 F1:1 C422").unwrap().output_frame_bytes(), 8 * 2);
        assert_eq!(Y4mHeader::parse(p, "YUV4MPEG2 W3 H2 F1:1 C444").unwrap_err().hresult, "NS_E_INVALID_INPUT_FORMAT");
        assert_eq!(Y4mHeader::parse(p, "YUV4MPEG2 W3 F1:1").unwrap_err().hresult, "NS_E_INVALID_DATA");
        assert!(Y4mHeader::parse(p, "RIFF").is_err());
    }

    #[test]
    fn yuy2_repack() {
        // 3x1: Y = 1 2 3, U = 10 11, V = 20 21.
        let planar = [1, 2, 3, 10, 11, 20, 21];
        let mut out = Vec::new();
        repack_422_to_yuy2(&planar, 3, 1, &mut out);
        assert_eq!(out, [1, 10, 2, 20, 3, 11, 3, 21]);
    }
}
