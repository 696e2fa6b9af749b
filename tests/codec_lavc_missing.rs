//! With `WMWRITER_LIBAVCODEC` naming a file that does not exist, every libavcodec codec
//! reports NOT_INSTALLED with a message naming the file (a process of its own: the
//! library is loaded once per process).

use wmwriter::codec::lavc;
use wmwriter::codec::{Backend, EncoderConfig};
use wmwriter::error::ErrorKind;
use wmwriter::guid::sdk;
use wmwriter::profile::{MediaType, StreamConfigData};

#[test]
fn missing_library_gives_not_installed() {
    std::env::set_var("WMWRITER_LIBAVCODEC", "/nonexistent/libavcodec.so.59");
    let e = lavc::load_error().expect("the library is missing");
    assert!(e.contains("/nonexistent/libavcodec.so.59"), "{e}");
    assert!(!lavc::BACKEND.supports(&sdk::WMMEDIASUBTYPE_WMAUDIOV8));
    let mut a = StreamConfigData::new(sdk::WMMEDIATYPE_AUDIO, 1);
    let mut mt = MediaType::pcm(2, 44100, 16);
    mt.subtype = sdk::WMMEDIASUBTYPE_WMAUDIOV8;
    a.media_type = Some(mt);
    let err = lavc::BACKEND.open(&EncoderConfig { stream: a, settings: vec![], pass: Default::default() }).err().unwrap();
    assert_eq!(err.kind, ErrorKind::AudioCodecNotInstalled);
    assert!(err.message.contains("/nonexistent/libavcodec.so.59") && err.message.contains("passthrough"), "{}", err.message);
    let mut v = StreamConfigData::new(sdk::WMMEDIATYPE_VIDEO, 2);
    v.media_type = Some(MediaType::raw_video(sdk::WMMEDIASUBTYPE_WMV2, 320, 240, 400_000));
    let err = wmwriter::codec::open(&EncoderConfig { stream: v, settings: vec![], pass: Default::default() }).err().unwrap();
    assert_eq!(err.kind, ErrorKind::VideoCodecNotInstalled, "{}", err.message);
}
