//! The parts of FFmpeg's ABI this backend touches, per libavcodec major version.
//!
//! Everything that has an AVOption is set and read through AVOptions (names are stable
//! across FFmpeg 4–8; `av_opt_find` also tells each field's offset, which is used below
//! to cross-check the table). What has no AVOption needs a raw offset, listed here with
//! the header it was read from. A major that is not in `LAYOUTS` is refused.
//!
//! Stable prefixes (the same in FFmpeg 5 to 8, checked in the headers of
//! 5.1 and 7.1 with offsetof(), and read in 8.0):
//! - `AVFrame`: `data[8]` 0, `linesize[8]` 64, `extended_data` 96, `width` 104,
//!   `height` 108, `nb_samples` 112, `format` 116, `pts` 136 (libavutil/frame.h).
//! - `AVPacket`: `pts` 8, `dts` 16, `data` 24, `size` 32, `flags` 40 (libavcodec/packet.h).
//! - `AVCodecParameters`: `extradata` 16, `extradata_size` 24 (libavcodec/codec_par.h).
//! - `AVOption`: `name` 0, `offset` 16 (libavutil/opt.h).
#![allow(unsafe_code)]

/// Offsets that differ between majors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// libavcodec major (`avcodec_version() >> 16`).
    pub lavc_major: u32,
    /// The libavutil major that ships with it.
    pub lavu_major: u32,
    /// The libswscale major that ships with it.
    pub sws_major: u32,
    /// FFmpeg release series, for messages.
    pub ffmpeg: &'static str,
    /// `AVCodecContext.sample_fmt` (no AVOption).
    pub ctx_sample_fmt: usize,
    /// `AVCodecContext.sample_fmt` minus the offset of the `ar` (sample_rate) AVOption:
    /// the run-time cross-check of `ctx_sample_fmt`.
    pub sample_fmt_after_rate: usize,
    /// How an AVFrame says its channels.
    pub frame_channels: FrameChannels,
    /// `AVCodecContext.time_base`, for a major without a `time_base` AVOption.
    pub ctx_time_base: Option<usize>,
    /// `AVCodecContext.stats_out` (`char *`, no AVOption): the pass-1 statistics line
    /// of the last encoded frame. `stats_in` (`char *`, no AVOption either; pass 2
    /// reads and writes it) follows at +8, and `workaround_bugs` (the `bug` AVOption)
    /// at +16: the run-time cross-check.
    pub ctx_stats_out: usize,
}

/// Where an AVFrame keeps its channel layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameChannels {
    /// `AVFrame.ch_layout` (an `AVChannelLayout`, libavutil ≥ 57), at this offset.
    Layout(usize),
    /// libavutil 56: `uint64_t channel_layout` and `int channels`, at these offsets.
    Old {
        /// `channel_layout`.
        mask: usize,
        /// `channels`.
        count: usize,
    },
}

/// The majors this build knows.
///
/// - lavc 58 / lavu 56 (FFmpeg 4.x): `offsetof()` compiled against Debian 11's
///   libavcodec-dev/libavutil-dev 4.3.7 headers: `sample_fmt` = 408 (after `sample_rate`
///   400 and `channels` 404), `time_base` = 100 (set by offset: this backend does not
///   rely on a `time_base` AVOption there), and no `AVChannelLayout`: the frame's
///   `channel_layout` (280) and `channels` (444) are set instead, and the context's
///   through the `ac` / `channel_layout` AVOptions. Not run here (no lavc 58 library is
///   installable on this machine); the load-time checks guard it. FFmpeg 4.4 is lavc 58
///   too and is taken to match 4.3 (those checks refuse it if not).
/// - lavc 59 / lavu 57 (FFmpeg 5.x): `offsetof()` compiled against Debian 12's
///   libavcodec-dev/libavutil-dev 5.1.9 headers (`AVCodecContext.sample_fmt` = 360,
///   right after `sample_rate` 352 and `channels` 356; `AVFrame.ch_layout` = 448).
/// - lavc 61 / lavu 59 (FFmpeg 7.x): `offsetof()` compiled against Debian 13's
///   libavcodec-dev/libavutil-dev 7.1.5 headers (`sample_fmt` = 348 after `sample_rate`
///   344, `channels` being gone; `AVFrame.ch_layout` = 408; the stable prefixes, the
///   AVOption `offset` field and the pixel/sample format numbers below all identical).
///   Not run here: no lavc 61 library is installable on this machine; the load-time
///   checks guard it.
/// - lavc 62 / lavu 60 (FFmpeg 8.x): read from FFmpeg 8's libavcodec/avcodec.h and
///   libavutil/frame.h. `channels` is gone from AVCodecContext, so `sample_fmt` follows
///   `sample_rate` at +4 (348); AVFrame lost `key_frame`, `coded_picture_number`,
///   `display_picture_number`, `interlaced_frame`, `top_field_first`,
///   `palette_has_changed`, `reordered_opaque`, `channel_layout`, `pkt_pos`,
///   `pkt_duration`, `channels` and `pkt_size`, and `private_ref` became a `void *`:
///   `ch_layout` is at 384 (after `private_ref` at 376). Verified at run time against
///   the lavc 62.28 bundled in PyAV 18.
///
/// `stats_out` / `stats_in` (two-pass encoding) sit right before `workaround_bugs` in
/// every major: `offsetof()` against FFmpeg 4.3's (lavc 58.91), 5.1.8's (lavc 59.37) and
/// a lavc 61.22 (FFmpeg 7 series) libavcodec/avcodec.h gives stats_out 624 / 488 / 496
/// (`workaround_bugs` 640 / 504 / 512, and `sample_fmt` the 408 / 360 / 348 above). For
/// lavc 62 (496) and, again, 59 it was checked at run time: the C string at that
/// offset after a `+pass1` wmv2 frame is the rate-control line ("in:0 out:0 type:1
/// q:189 …"), with the `bug` AVOption at 512 (62) and 504 (59).
///
/// FFmpeg 6 (lavc 60) is searched for but refused until its headers are checked the same
/// way (no Debian release ships it).
pub(crate) const LAYOUTS: &[Layout] = &[
    Layout {
        lavc_major: 58,
        lavu_major: 56,
        sws_major: 5,
        ffmpeg: "4.x",
        ctx_sample_fmt: 408,
        sample_fmt_after_rate: 8,
        frame_channels: FrameChannels::Old { mask: 280, count: 444 },
        ctx_time_base: Some(100),
        ctx_stats_out: 624,
    },
    Layout {
        lavc_major: 59,
        lavu_major: 57,
        sws_major: 6,
        ffmpeg: "5.x",
        ctx_sample_fmt: 360,
        sample_fmt_after_rate: 8,
        frame_channels: FrameChannels::Layout(448),
        ctx_time_base: None,
        ctx_stats_out: 488,
    },
    Layout {
        lavc_major: 61,
        lavu_major: 59,
        sws_major: 8,
        ffmpeg: "7.x",
        ctx_sample_fmt: 348,
        sample_fmt_after_rate: 4,
        frame_channels: FrameChannels::Layout(408),
        ctx_time_base: None,
        ctx_stats_out: 496,
    },
    Layout {
        lavc_major: 62,
        lavu_major: 60,
        sws_major: 9,
        ffmpeg: "8.x",
        ctx_sample_fmt: 348,
        sample_fmt_after_rate: 4,
        frame_channels: FrameChannels::Layout(384),
        ctx_time_base: None,
        ctx_stats_out: 496,
    },
];

/// (libavcodec major, libavutil major, libswscale major, FFmpeg series) for every
/// release this backend searches for, newest first.
pub(crate) const SEARCHED: &[(u32, u32, u32, &str)] =
    &[(62, 60, 9, "8.x"), (61, 59, 8, "7.x"), (60, 58, 7, "6.x"), (59, 57, 6, "5.x"), (58, 56, 5, "4.x")];

/// The layout for a libavcodec major, if known.
pub fn layout(lavc_major: u32) -> Option<&'static Layout> {
    LAYOUTS.iter().find(|l| l.lavc_major == lavc_major)
}

// Stable offsets (see the module docs).
pub(crate) const FRAME_DATA: usize = 0;
pub(crate) const FRAME_LINESIZE: usize = 64;
pub(crate) const FRAME_EXTENDED_DATA: usize = 96;
pub(crate) const FRAME_WIDTH: usize = 104;
pub(crate) const FRAME_HEIGHT: usize = 108;
pub(crate) const FRAME_NB_SAMPLES: usize = 112;
pub(crate) const FRAME_FORMAT: usize = 116;
pub(crate) const FRAME_PTS: usize = 136;
pub(crate) const PKT_PTS: usize = 8;
pub(crate) const PKT_DATA: usize = 24;
pub(crate) const PKT_SIZE: usize = 32;
pub(crate) const PKT_FLAGS: usize = 40;
pub(crate) const PAR_EXTRADATA: usize = 16;
pub(crate) const PAR_EXTRADATA_SIZE: usize = 24;
pub(crate) const OPTION_OFFSET: usize = 16;

/// `AV_NOPTS_VALUE`.
pub(crate) const NOPTS: i64 = i64::MIN;
/// `AV_PKT_FLAG_KEY`.
pub(crate) const PKT_FLAG_KEY: i32 = 1;
/// `AVERROR(EAGAIN)` on Linux.
pub(crate) const EAGAIN: i32 = -11;
/// `AVERROR_EOF` (`-MKTAG('E','O','F',' ')`).
pub(crate) const AVERROR_EOF: i32 = -0x2046_4F45;
/// `AV_SAMPLE_FMT_FLTP` (stable since FFmpeg 1.0).
pub(crate) const SAMPLE_FMT_FLTP: i32 = 8;
/// `AV_OPT_SEARCH_CHILDREN` (codec-private options).
pub(crate) const OPT_SEARCH_CHILDREN: i32 = 1;
/// `SWS_BICUBIC`.
pub(crate) const SWS_BICUBIC: i32 = 4;

/// `AVPixelFormat` values for the raw layouts the pipeline hands libswscale. These
/// enumerators sit before every insertion FFmpeg made in 4–8 (libavutil/pixfmt.h).
pub(crate) mod pix {
    pub(crate) const YUV420P: i32 = 0;
    pub(crate) const YUYV422: i32 = 1;
    pub(crate) const BGR24: i32 = 3;
    pub(crate) const UYVY422: i32 = 15;
    pub(crate) const NV12: i32 = 23;
    pub(crate) const BGRA: i32 = 28;
    pub(crate) const RGB565LE: i32 = 37;
    pub(crate) const RGB555LE: i32 = 39;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every known layout is one of the searched releases, with the same library majors.
    #[test]
    fn layouts_match_the_search_list() {
        for l in LAYOUTS {
            let s = SEARCHED.iter().find(|s| s.0 == l.lavc_major).expect("searched");
            assert_eq!((s.1, s.2, s.3), (l.lavu_major, l.sws_major, l.ffmpeg));
            assert!(l.ctx_sample_fmt > l.sample_fmt_after_rate);
            assert_eq!(l.ctx_time_base.is_some(), l.lavc_major < 59);
            assert!(l.ctx_stats_out > l.ctx_sample_fmt);
        }
        assert_eq!(layout(59).map(|l| l.frame_channels), Some(FrameChannels::Layout(448)));
        assert!(layout(60).is_none() && layout(63).is_none());
    }
}
