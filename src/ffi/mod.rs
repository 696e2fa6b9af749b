//! The C ABI: the only place with `unsafe`, raw pointers and exported symbols.
//!
//! One file per C object. Every function is thin: check arguments → null the
//! out-params → borrow the handle → call one domain method → map the error → write
//! the outputs. Handles are `Arc::into_raw` pointers; `*_add_ref` / `*_release`
//! return the new count.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::undocumented_unsafe_blocks)]
#![allow(clippy::missing_safety_doc, non_camel_case_types, non_snake_case)]

pub mod bandwidth_sharing;
pub mod boundary;
pub mod buffer;
pub mod codec_info;
pub mod drm;
pub mod guids;
pub mod handle;
pub mod header_info;
pub mod hresult;
pub mod indexer;
pub mod input_media_props;
pub mod language_list;
pub mod media_type;
pub mod mutual_exclusion;
pub mod network_sink;
pub mod post_view;
pub mod profile;
pub mod profile_manager;
pub mod property_vault;
pub mod push_sink;
pub mod register_callback;
pub mod sink;
pub mod sink_base;
pub mod status;
pub mod stream_config;
pub mod stream_prioritization;
pub mod strings;
pub mod writer;
pub mod writer_advanced;

pub use hresult::HRESULT;

#[cfg(test)]
mod abi_tests;
