//! `WMMutualExclusion` (`IWMMutualExclusion`, `IWMMutualExclusion2`, and the
//! `IWMStreamList` it inherits). The object is a copy: edits reach a profile only
//! through `wm_profile_add_mutual_exclusion`.

use std::ffi::c_char;

use super::boundary::{call, count};
use super::guids::WMGuid;
use super::handle::{add_ref, borrow, input, out, release};
use super::strings::{read_str, write_str};
use super::HRESULT;
use crate::bail;
use crate::error::ErrorKind::InvalidArg;
use crate::error::{Error, ErrorKind, Result};
use crate::profile::{lock, MutexRecord, MutualExclusion, MutualExclusionData, StreamList, MAX_NAME_CHARS};

unsafe fn with<R>(m: *mut MutualExclusion, f: impl FnOnce(&mut MutualExclusionData) -> Result<R>) -> Result<R> {
    // SAFETY: NULL or a live handle per the C contract.
    let m = unsafe { borrow(m, "mutual exclusion")? };
    f(&mut lock(&m.data))
}

/// The `IWMStreamList::GetStreams` size-query protocol: `count` NULL → `E_INVALIDARG`;
/// `numbers` NULL → `*count` = how many; `*count` too small → `ASF_E_BUFFERTOOSMALL`
/// with `*count` = how many; else the numbers are copied and `*count` = how many.
///
/// # Safety
/// `numbers` is NULL or writable for `*count` elements; `count` is NULL or writable.
pub(crate) unsafe fn write_stream_list(list: &StreamList, numbers: *mut u16, count_out: *mut u16) -> Result<()> {
    // SAFETY: NULL or writable per the caller.
    let c = unsafe { out(count_out, "stream count", InvalidArg)? };
    let have = *c as usize;
    let need = list.0.len();
    *c = need as u16;
    if numbers.is_null() {
        return Ok(());
    }
    if have < need {
        return Err(Error::new(
            ErrorKind::BufferTooSmall,
            format!("the array holds {have} stream numbers; {need} are needed (count written back)"),
        ));
    }
    // SAFETY: `numbers` is writable for `have` ≥ `need` elements.
    unsafe { std::ptr::copy_nonoverlapping(list.0.as_ptr(), numbers, need) };
    Ok(())
}

pub(crate) fn checked_name(s: &str, what: &str) -> Result<String> {
    let n = s.chars().count();
    if n > MAX_NAME_CHARS {
        bail!(InvalidArg, "the {what} has {n} characters; at most {MAX_NAME_CHARS} are allowed");
    }
    Ok(s.to_string())
}

/// Add a reference; returns the new count (NULL → 0). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_add_ref(m: *mut MutualExclusion) -> u32 {
    // SAFETY: NULL or a live handle.
    count(|| unsafe { add_ref(m) })
}

/// Drop a reference; frees at 0; returns the new count (NULL → 0). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_release(m: *mut MutualExclusion) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(m) })
}

/// The exclusion type, a `CLSID_WMMUTEX_*` (all zero until set) (`IWMMutualExclusion::GetType`).
///
/// On failure `*type` is all zero. Returns `S_OK`, `E_POINTER` (handle NULL),
/// `E_INVALIDARG` (type NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_get_type(m: *mut MutualExclusion, mutex_type: *mut WMGuid) -> HRESULT {
    call("wm_mutual_exclusion_get_type", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(mutex_type, "type", InvalidArg)? };
        *o = WMGuid::default();
        // SAFETY: see `with`.
        *o = WMGuid::of(unsafe { with(m, |d| Ok(d.mutex_type))? });
        Ok(())
    })
}

/// Set the exclusion type: `CLSID_WMMUTEX_Bitrate` (the one profiles accept),
/// `_Language`, `_Presentation` or `_Unknown` (`IWMMutualExclusion::SetType`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (type NULL or not one of
/// the four). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_set_type(m: *mut MutualExclusion, mutex_type: *const WMGuid) -> HRESULT {
    call("wm_mutual_exclusion_set_type", || {
        // SAFETY: NULL or readable.
        let t = unsafe { input(mutex_type, "the type", InvalidArg)? }.guid();
        MutualExclusionData::check_type(t)?;
        // SAFETY: see `with`.
        unsafe {
            with(m, |d| {
                d.mutex_type = t;
                Ok(())
            })
        }
    })
}

/// The stream numbers, with the size-query protocol (`IWMStreamList::GetStreams`):
/// `numbers` NULL → `*count` = how many; `*count` too small → `ASF_E_BUFFERTOOSMALL`
/// with `*count` set.
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (count NULL),
/// `ASF_E_BUFFERTOOSMALL`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_get_streams(m: *mut MutualExclusion, numbers: *mut u16, count_inout: *mut u16) -> HRESULT {
    call("wm_mutual_exclusion_get_streams", || {
        // SAFETY: see `with`.
        let l = unsafe { with(m, |d| Ok(d.streams.clone()))? };
        // SAFETY: per the C contract.
        unsafe { write_stream_list(&l, numbers, count_inout) }
    })
}

/// Add a stream number (1..63) to the exclusion (`IWMStreamList::AddStream`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (outside 1..63 or already
/// listed). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_add_stream(m: *mut MutualExclusion, number: u16) -> HRESULT {
    // SAFETY: see `with`.
    call("wm_mutual_exclusion_add_stream", || unsafe { with(m, |d| d.streams.add(number)) })
}

/// Remove a stream number (`IWMStreamList::RemoveStream`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (not listed). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_remove_stream(m: *mut MutualExclusion, number: u16) -> HRESULT {
    // SAFETY: see `with`.
    call("wm_mutual_exclusion_remove_stream", || unsafe { with(m, |d| d.streams.remove(number)) })
}

/// The exclusion's name, UTF-8, size-query protocol (`IWMMutualExclusion2::GetName`):
/// `name` NULL → `*length` = bytes needed incl. NUL.
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (length NULL),
/// `ASF_E_BUFFERTOOSMALL` (`*length` set). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_get_name(m: *mut MutualExclusion, name: *mut c_char, length: *mut u16) -> HRESULT {
    call("wm_mutual_exclusion_get_name", || {
        // SAFETY: see `with`.
        let s = unsafe { with(m, |d| Ok(d.name.clone()))? };
        // SAFETY: per the C contract.
        unsafe { write_str(&s, name, length, "name") }
    })
}

/// Set the exclusion's name (UTF-8, at most 256 characters) (`IWMMutualExclusion2::SetName`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (NULL, not UTF-8, too
/// long). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_set_name(m: *mut MutualExclusion, name: *const c_char) -> HRESULT {
    call("wm_mutual_exclusion_set_name", || {
        // SAFETY: NULL or NUL-terminated.
        let s = checked_name(unsafe { read_str(name, "the name")? }, "name")?;
        // SAFETY: see `with`.
        unsafe {
            with(m, |d| {
                d.name = s;
                Ok(())
            })
        }
    })
}

/// The number of records (`IWMMutualExclusion2::GetRecordCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG`
/// (count NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_get_record_count(m: *mut MutualExclusion, count_out: *mut u16) -> HRESULT {
    call("wm_mutual_exclusion_get_record_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: see `with`.
        *o = unsafe { with(m, |d| Ok(d.records.len() as u16))? };
        Ok(())
    })
}

/// Append an empty, unnamed record (`IWMMutualExclusion2::AddRecord`); its index is the
/// old record count.
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (already 65535 records).
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_add_record(m: *mut MutualExclusion) -> HRESULT {
    call("wm_mutual_exclusion_add_record", || {
        // SAFETY: see `with`.
        unsafe {
            with(m, |d| {
                if d.records.len() >= u16::MAX as usize {
                    bail!(InvalidArg, "the mutual exclusion already has {} records", d.records.len());
                }
                d.records.push(MutexRecord::default());
                Ok(())
            })
        }
    })
}

/// Remove record `record` (later records move down) (`IWMMutualExclusion2::RemoveRecord`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (no such record). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_remove_record(m: *mut MutualExclusion, record: u16) -> HRESULT {
    call("wm_mutual_exclusion_remove_record", || {
        // SAFETY: see `with`.
        unsafe {
            with(m, |d| {
                d.record(record)?;
                d.records.remove(record as usize);
                Ok(())
            })
        }
    })
}

/// A record's name, UTF-8, size-query protocol (`IWMMutualExclusion2::GetRecordName`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (no such record, length
/// NULL), `ASF_E_BUFFERTOOSMALL` (`*length` set). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_get_record_name(
    m: *mut MutualExclusion,
    record: u16,
    name: *mut c_char,
    length: *mut u16,
) -> HRESULT {
    call("wm_mutual_exclusion_get_record_name", || {
        // SAFETY: see `with`.
        let s = unsafe { with(m, |d| Ok(d.record(record)?.name.clone()))? };
        // SAFETY: per the C contract.
        unsafe { write_str(&s, name, length, "record name") }
    })
}

/// Set a record's name (UTF-8, at most 256 characters) (`IWMMutualExclusion2::SetRecordName`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (no such record; name
/// NULL, not UTF-8, too long). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_set_record_name(m: *mut MutualExclusion, record: u16, name: *const c_char) -> HRESULT {
    call("wm_mutual_exclusion_set_record_name", || {
        // SAFETY: NULL or NUL-terminated.
        let s = checked_name(unsafe { read_str(name, "the record name")? }, "record name")?;
        // SAFETY: see `with`.
        unsafe {
            with(m, |d| {
                d.record(record)?.name = s;
                Ok(())
            })
        }
    })
}

/// A record's stream numbers, size-query protocol as `wm_mutual_exclusion_get_streams`
/// (`IWMMutualExclusion2::GetStreamsForRecord`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (no such record, count
/// NULL), `ASF_E_BUFFERTOOSMALL`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_get_streams_for_record(
    m: *mut MutualExclusion,
    record: u16,
    numbers: *mut u16,
    count_inout: *mut u16,
) -> HRESULT {
    call("wm_mutual_exclusion_get_streams_for_record", || {
        // SAFETY: see `with`.
        let l = unsafe { with(m, |d| Ok(d.record(record)?.streams.clone()))? };
        // SAFETY: per the C contract.
        unsafe { write_stream_list(&l, numbers, count_inout) }
    })
}

/// Add a stream number (1..63) to a record (`IWMMutualExclusion2::AddStreamForRecord`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (no such record, number
/// outside 1..63 or already in the record). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_add_stream_for_record(m: *mut MutualExclusion, record: u16, number: u16) -> HRESULT {
    // SAFETY: see `with`.
    call("wm_mutual_exclusion_add_stream_for_record", || unsafe { with(m, |d| d.record(record)?.streams.add(number)) })
}

/// Remove a stream number from a record (`IWMMutualExclusion2::RemoveStreamForRecord`).
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (no such record, number not
/// in the record). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_mutual_exclusion_remove_stream_for_record(m: *mut MutualExclusion, record: u16, number: u16) -> HRESULT {
    // SAFETY: see `with`.
    call("wm_mutual_exclusion_remove_stream_for_record", || unsafe { with(m, |d| d.record(record)?.streams.remove(number)) })
}
