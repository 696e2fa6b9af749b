//! Post view of an encoded stream without libavcodec (a process of its own: the
//! library is loaded once per process): `set_receive_post_view_samples` returns the
//! SDK's codec-not-installed code (never `E_NOTIMPL`) and post view stays off; the
//! stream still writes.

use wmwriter::error::ErrorKind;
use wmwriter::ffi::hresult::{hresult_of, NS_E_AUDIO_CODEC_NOT_INSTALLED};
use wmwriter::profile::MediaType;
use wmwriter::writer::Writer;

#[test]
fn encoded_post_view_without_libavcodec_is_not_installed() {
    std::env::set_var("WMWRITER_LIBAVCODEC", "/nonexistent/libavcodec.so.59");
    let p = wmwriter::profile::system::by_ident("V80_128StereoAudio").unwrap().build();
    let mut w = Writer::new();
    w.set_profile(&p).unwrap();
    // The post-view format is what a decoder would give: PCM 16-bit, 44.1 kHz stereo.
    let f = w.post_view_formats(1).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].format, MediaType::pcm(2, 44100, 16).format);
    let e = w.set_receive_post_view_samples(1, true).unwrap_err();
    assert_eq!(e.kind, ErrorKind::AudioCodecNotInstalled, "{}", e.message);
    assert!(e.message.contains("decoder") && e.message.contains("/nonexistent/libavcodec.so.59"), "{}", e.message);
    assert_eq!(hresult_of(e.kind), NS_E_AUDIO_CODEC_NOT_INSTALLED);
    assert!(!w.receive_post_view_samples(1).unwrap());
}
