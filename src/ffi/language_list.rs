//! `IWMLanguageList` on the profile object: the languages of the file's Language List
//! Object. The writer writes the profile's list (then any other stream language) in
//! the Header Extension; stream configs' languages (`wm_stream_config_set_language`)
//! and attribute language indices refer to it.

use std::ffi::c_char;

use super::boundary::call;
use super::handle::{borrow, out};
use super::strings::{read_str, write_str};
use super::HRESULT;
use crate::error::ErrorKind::InvalidArg;
use crate::profile::{lock, Profile};

/// The number of languages in the profile's list (`IWMLanguageList::GetLanguageCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG`
/// (count NULL). Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_language_count(p: *mut Profile, count_out: *mut u16) -> HRESULT {
    call("wm_profile_get_language_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count_out, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle per the C contract.
        *o = lock(&unsafe { borrow(p, "profile")? }.data).languages.len() as u16;
        Ok(())
    })
}

/// The RFC 1766 tag at `index`, UTF-8, with the size-query protocol
/// (`IWMLanguageList::GetLanguageDetails`): `language` NULL → `*length` = bytes needed
/// incl. the NUL; `*length` too small → `ASF_E_BUFFERTOOSMALL` with `*length` set.
///
/// Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG` (length NULL, or index
/// out of range), `ASF_E_BUFFERTOOSMALL`. Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_get_language_details(p: *mut Profile, index: u16, language: *mut c_char, length: *mut u16) -> HRESULT {
    call("wm_profile_get_language_details", || {
        if length.is_null() {
            crate::bail!(InvalidArg, "the language length pointer is NULL");
        }
        // SAFETY: NULL or a live handle per the C contract.
        let s = match lock(&unsafe { borrow(p, "profile")? }.data).language(index) {
            Ok(s) => s.to_string(),
            Err(e) => {
                // SAFETY: non-NULL and writable per the C contract.
                unsafe { *length = 0 };
                return Err(e);
            }
        };
        // SAFETY: NULL or writable per the C contract.
        unsafe { write_str(&s, language, length, "language") }
    })
}

/// Add an RFC 1766 language tag (UTF-8, e.g. "fr-fr") to the profile's list and return
/// its index (`IWMLanguageList::AddLanguageByRFC1766String`); a tag already in the
/// list (ASCII case-insensitive) returns its existing index.
///
/// On failure `*index` is 0. Returns `S_OK`, `E_POINTER` (profile NULL), `E_INVALIDARG`
/// (tag or index NULL, not UTF-8, not a tag of 1..126 letters, digits and '-').
/// Thread safety: any thread.
#[no_mangle]
pub unsafe extern "C" fn wm_profile_add_language_by_rfc1766_string(p: *mut Profile, language: *const c_char, index: *mut u16) -> HRESULT {
    call("wm_profile_add_language_by_rfc1766_string", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(index, "index", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or NUL-terminated.
        let tag = unsafe { read_str(language, "the language")? };
        // SAFETY: NULL or a live handle per the C contract.
        *o = lock(&unsafe { borrow(p, "profile")? }.data).add_language(tag)?;
        Ok(())
    })
}
