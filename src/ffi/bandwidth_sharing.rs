//! `WMBandwidthSharing` (`IWMBandwidthSharing` and the `IWMStreamList` it inherits). The
//! object is a copy: edits reach a profile only through `wm_profile_add_bandwidth_sharing`.

use super::boundary::{call, count};
use super::guids::WMGuid;
use super::handle::{add_ref, borrow, clear, input, out, release};
use super::mutual_exclusion::write_stream_list;
use super::HRESULT;
use crate::error::ErrorKind::InvalidArg;
use crate::error::Result;
use crate::profile::{lock, BandwidthSharing, BandwidthSharingData};

unsafe fn with<R>(b: *mut BandwidthSharing, f: impl FnOnce(&mut BandwidthSharingData) -> Result<R>) -> Result<R> {
    // SAFETY: NULL or a live handle per the C contract.
    let b = unsafe { borrow(b, "bandwidth sharing")? };
    f(&mut lock(&b.data))
}

/// Add a reference; returns the new count (NULL → 0). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_bandwidth_sharing_add_ref(b: *mut BandwidthSharing) -> u32 {
    // SAFETY: NULL or a live handle.
    count(|| unsafe { add_ref(b) })
}

/// Drop a reference; frees at 0; returns the new count (NULL → 0). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_bandwidth_sharing_release(b: *mut BandwidthSharing) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(b) })
}

/// The sharing type, `CLSID_WMBandwidthSharing_Exclusive` or `_Partial` (all zero until
/// set) (`IWMBandwidthSharing::GetType`).
///
/// On failure `*type` is all zero. Returns `S_OK`, `E_POINTER` (handle NULL),
/// `E_INVALIDARG` (type NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_bandwidth_sharing_get_type(b: *mut BandwidthSharing, sharing_type: *mut WMGuid) -> HRESULT {
    call("wm_bandwidth_sharing_get_type", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(sharing_type, "type", InvalidArg)? };
        *o = WMGuid::default();
        // SAFETY: see `with`.
        *o = WMGuid::of(unsafe { with(b, |d| Ok(d.sharing_type))? });
        Ok(())
    })
}

/// Set the sharing type: `CLSID_WMBandwidthSharing_Exclusive` (one stream at a time
/// uses the bandwidth) or `_Partial` (`IWMBandwidthSharing::SetType`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (type NULL or neither).
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_bandwidth_sharing_set_type(b: *mut BandwidthSharing, sharing_type: *const WMGuid) -> HRESULT {
    call("wm_bandwidth_sharing_set_type", || {
        // SAFETY: NULL or readable.
        let t = unsafe { input(sharing_type, "the type", InvalidArg)? }.guid();
        BandwidthSharingData::check_type(t)?;
        // SAFETY: see `with`.
        unsafe {
            with(b, |d| {
                d.sharing_type = t;
                Ok(())
            })
        }
    })
}

/// The shared bit rate (bits per second) and buffer window (ms)
/// (`IWMBandwidthSharing::GetBandwidth`).
///
/// On failure both outs are 0. Returns `S_OK`, `E_POINTER` (handle NULL),
/// `E_INVALIDARG` (either out NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_bandwidth_sharing_get_bandwidth(
    b: *mut BandwidthSharing,
    bitrate: *mut u32,
    buffer_window_ms: *mut u32,
) -> HRESULT {
    call("wm_bandwidth_sharing_get_bandwidth", || {
        // SAFETY: NULL or writable.
        unsafe {
            clear(bitrate, 0);
            clear(buffer_window_ms, 0);
        }
        // SAFETY: NULL or writable.
        let r = unsafe { out(bitrate, "bitrate", InvalidArg)? };
        // SAFETY: NULL or writable.
        let w = unsafe { out(buffer_window_ms, "buffer window", InvalidArg)? };
        // SAFETY: see `with`.
        let (x, y) = unsafe { with(b, |d| Ok((d.bitrate, d.buffer_window)))? };
        *r = x;
        *w = y;
        Ok(())
    })
}

/// Set the shared bit rate (bits per second) and buffer window (ms)
/// (`IWMBandwidthSharing::SetBandwidth`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_bandwidth_sharing_set_bandwidth(b: *mut BandwidthSharing, bitrate: u32, buffer_window_ms: u32) -> HRESULT {
    call("wm_bandwidth_sharing_set_bandwidth", || {
        // SAFETY: see `with`.
        unsafe {
            with(b, |d| {
                d.bitrate = bitrate;
                d.buffer_window = buffer_window_ms;
                Ok(())
            })
        }
    })
}

/// The stream numbers, size-query protocol (`IWMStreamList::GetStreams`): `numbers`
/// NULL → `*count` = how many; `*count` too small → `ASF_E_BUFFERTOOSMALL` with
/// `*count` set.
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (count NULL),
/// `ASF_E_BUFFERTOOSMALL`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_bandwidth_sharing_get_streams(b: *mut BandwidthSharing, numbers: *mut u16, count_inout: *mut u16) -> HRESULT {
    call("wm_bandwidth_sharing_get_streams", || {
        // SAFETY: see `with`.
        let l = unsafe { with(b, |d| Ok(d.streams.clone()))? };
        // SAFETY: per the C contract.
        unsafe { write_stream_list(&l, numbers, count_inout) }
    })
}

/// Add a stream number (1..63) (`IWMStreamList::AddStream`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (outside 1..63 or already
/// listed). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_bandwidth_sharing_add_stream(b: *mut BandwidthSharing, number: u16) -> HRESULT {
    // SAFETY: see `with`.
    call("wm_bandwidth_sharing_add_stream", || unsafe { with(b, |d| d.streams.add(number)) })
}

/// Remove a stream number (`IWMStreamList::RemoveStream`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (not listed). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_bandwidth_sharing_remove_stream(b: *mut BandwidthSharing, number: u16) -> HRESULT {
    // SAFETY: see `with`.
    call("wm_bandwidth_sharing_remove_stream", || unsafe { with(b, |d| d.streams.remove(number)) })
}
