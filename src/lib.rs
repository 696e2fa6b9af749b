//! # wmwriter
//!
//! A reimplementation of the *writer* half of Microsoft's Windows Media Format SDK
//! (`IWMWriter`, `IWMProfile`, `INSSBuffer`, …) that writes real ASF files
//! (`.asf`, `.wma`, `.wmv`), exposed as a C ABI (see `include/wmwriter.h`).
//!
//! Module map (each module knows only the ones below it):
//!
//! | module | what |
//! |---|---|
//! | [`ffi`] | the only `extern "C"` layer: arguments, handles, HRESULTs, last-error message |
//! | [`writer`] | the IWMWriter state machine; turns samples into media objects |
//! | [`codec`] | encoders between the inputs and the muxer (Encoder trait, backends, pipeline) |
//! | [`mux`] | the interleaver: orders media objects by time across streams |
//! | [`asf`] | pure ASF byte layout: header objects, packetizer, simple index |
//! | [`sink`] | where the bytes go (a file; seekable or not) |
//! | [`profile`] | profiles, stream configs, media types (plain data + validation) |
//! | [`buffer`] | sample buffers and their pool |
//! | [`error`] | the one domain error type |
//! | [`guid`] | GUIDs and the SDK's named GUID constants |

#![warn(missing_debug_implementations)]

pub mod asf;
pub mod buffer;
pub mod codec;
pub mod error;
pub mod ffi;
pub mod guid;
pub mod indexer;
pub mod mux;
pub mod profile;
pub mod reader;
pub mod repair;
pub mod sink;
pub mod writer;

/// One time type: 100-nanosecond units, the SDK's `cns`.
pub type Time100ns = u64;

/// 100-ns ticks per millisecond.
pub const TICKS_PER_MS: u64 = 10_000;
