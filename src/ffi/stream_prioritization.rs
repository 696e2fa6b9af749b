//! `WMStreamPrioritization` (`IWMStreamPrioritization`) and `WM_STREAM_PRIORITY_RECORD`.
//! The object is a copy: edits reach a profile only through
//! `wm_profile_set_stream_prioritization`.

use super::boundary::{call, count};
use super::handle::{add_ref, borrow, out, release};
use super::HRESULT;
use crate::error::ErrorKind::InvalidArg;
use crate::error::{Error, ErrorKind};
use crate::profile::{lock, PriorityRecord, StreamPrioritization};
use crate::{bail, err};

/// One stream's priority (`WM_STREAM_PRIORITY_RECORD`, packed to 2 bytes like the
/// SDK's: 6 bytes, `fMandatory` at offset 2).
#[repr(C, packed(2))]
#[derive(Clone, Copy, Debug, Default)]
pub struct WM_STREAM_PRIORITY_RECORD {
    /// Stream number 1..63.
    pub wStreamNumber: u16,
    /// TRUE: the stream must never be dropped (BOOL).
    pub fMandatory: i32,
}

/// Add a reference; returns the new count (NULL → 0). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_prioritization_add_ref(sp: *mut StreamPrioritization) -> u32 {
    // SAFETY: NULL or a live handle.
    count(|| unsafe { add_ref(sp) })
}

/// Drop a reference; frees at 0; returns the new count (NULL → 0). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_prioritization_release(sp: *mut StreamPrioritization) -> u32 {
    // SAFETY: NULL or a live handle the caller owns a reference of.
    count(|| unsafe { release(sp) })
}

/// The priority records, highest priority first, with the size-query protocol
/// (`IWMStreamPrioritization::GetPriorityRecords`): `records` NULL → `*count` = how
/// many; `*count` too small → `ASF_E_BUFFERTOOSMALL` with `*count` set; else the records
/// are copied and `*count` = how many.
///
/// Ownership: the caller owns `records`. Returns `S_OK`, `E_POINTER` (handle NULL),
/// `E_INVALIDARG` (count NULL), `ASF_E_BUFFERTOOSMALL`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_prioritization_get_priority_records(
    sp: *mut StreamPrioritization,
    records: *mut WM_STREAM_PRIORITY_RECORD,
    count_inout: *mut u16,
) -> HRESULT {
    call("wm_stream_prioritization_get_priority_records", || {
        // SAFETY: NULL or writable.
        let c = unsafe { out(count_inout, "record count", InvalidArg)? };
        // SAFETY: NULL or a live handle.
        let recs = lock(&unsafe { borrow(sp, "stream prioritization")? }.data).records.clone();
        let have = *c as usize;
        *c = recs.len() as u16;
        if records.is_null() {
            return Ok(());
        }
        if have < recs.len() {
            return Err(Error::new(
                ErrorKind::BufferTooSmall,
                format!("the array holds {have} records; {} are needed (count written back)", recs.len()),
            ));
        }
        for (i, r) in recs.iter().enumerate() {
            let v = WM_STREAM_PRIORITY_RECORD { wStreamNumber: r.number, fMandatory: r.mandatory as i32 };
            // SAFETY: `records` is writable for `have` ≥ `recs.len()` elements; unaligned write for the packed type.
            unsafe { records.add(i).write_unaligned(v) };
        }
        Ok(())
    })
}

/// Replace the records (highest priority first) (`IWMStreamPrioritization::SetPriorityRecords`).
/// Whether the streams exist is checked by `wm_profile_set_stream_prioritization`.
///
/// Returns `S_OK`, `E_POINTER` (handle NULL), `E_INVALIDARG` (records NULL with count
/// > 0, a number outside 1..63 or listed twice). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_stream_prioritization_set_priority_records(
    sp: *mut StreamPrioritization,
    records: *const WM_STREAM_PRIORITY_RECORD,
    count_in: u16,
) -> HRESULT {
    call("wm_stream_prioritization_set_priority_records", || {
        // SAFETY: NULL or a live handle.
        let sp = unsafe { borrow(sp, "stream prioritization")? };
        if records.is_null() && count_in > 0 {
            bail!(InvalidArg, "the records are NULL while the count is {count_in}");
        }
        let mut v = Vec::new();
        v.try_reserve_exact(count_in as usize).map_err(|_| err!(OutOfMemory, "cannot copy {count_in} records"))?;
        for i in 0..count_in as usize {
            // SAFETY: `records` holds `count_in` elements per the caller; unaligned read for the packed type.
            let r = unsafe { records.add(i).read_unaligned() };
            v.push(PriorityRecord { number: r.wStreamNumber, mandatory: r.fMandatory != 0 });
        }
        lock(&sp.data).set_records(v)
    })
}

#[cfg(test)]
mod tests {
    use super::WM_STREAM_PRIORITY_RECORD;

    #[test]
    fn record_layout_is_the_sdks_pack_2() {
        assert_eq!(std::mem::size_of::<WM_STREAM_PRIORITY_RECORD>(), 6);
        assert_eq!(std::mem::align_of::<WM_STREAM_PRIORITY_RECORD>(), 2);
        let r = WM_STREAM_PRIORITY_RECORD::default();
        let base = std::ptr::addr_of!(r) as usize;
        assert_eq!(std::ptr::addr_of!(r.fMandatory) as usize - base, 2);
    }
}
