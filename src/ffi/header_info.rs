//! The writer's `IWMHeaderInfo`, `IWMHeaderInfo2` and `IWMHeaderInfo3` methods:
//! attributes, markers, script commands and codec info. Names and string values are
//! UTF-8; STRING values are NUL-terminated and their length counts the NUL; numbers
//! are little-endian values of their size; BOOL is 4 bytes.
//!
//! Reads need a profile (`NS_E_INVALID_REQUEST` before) and are refused while writing;
//! changes are refused while writing. `wm_writer_set_profile` clears everything.

use std::ffi::c_char;

use super::boundary::call;
use super::handle::{clear, out};
use super::strings::{read_str, write_bytes, write_str};
use super::writer::{writer, WMWriter};
use super::HRESULT;
use crate::bail;
use crate::error::ErrorKind::InvalidArg;
use crate::error::Result;
use crate::writer::metadata::{is_picture_layout, picture_bytes, CodecInfo};
use crate::writer::{AttrType, AttrValue};

/// `WMT_ATTR_DATATYPE`: the type of an attribute value.
pub type WMT_ATTR_DATATYPE = u32;
/// 4-byte unsigned integer.
pub const WMT_TYPE_DWORD: WMT_ATTR_DATATYPE = 0;
/// NUL-terminated UTF-8 string (UTF-16LE in the file); the length counts the NUL.
pub const WMT_TYPE_STRING: WMT_ATTR_DATATYPE = 1;
/// Bytes.
pub const WMT_TYPE_BINARY: WMT_ATTR_DATATYPE = 2;
/// 4-byte boolean.
pub const WMT_TYPE_BOOL: WMT_ATTR_DATATYPE = 3;
/// 8-byte unsigned integer.
pub const WMT_TYPE_QWORD: WMT_ATTR_DATATYPE = 4;
/// 2-byte unsigned integer.
pub const WMT_TYPE_WORD: WMT_ATTR_DATATYPE = 5;
/// 16-byte GUID (`add_attribute` / `modify_attribute` only, as in the SDK).
pub const WMT_TYPE_GUID: WMT_ATTR_DATATYPE = 6;

/// `WM_DM_INTERLACED_TYPE`: the values of the "DeinterlaceMode" input setting
/// (`wm_writer_set_input_setting`, DWORD).
pub type WM_DM_INTERLACED_TYPE = u32;
/// Progressive input (the default).
pub const WM_DM_NOTINTERLACED: WM_DM_INTERLACED_TYPE = 0;
/// Deinterlace before encoding (combed lines interpolated from the top field).
pub const WM_DM_DEINTERLACE_NORMAL: WM_DM_INTERLACED_TYPE = 1;
/// The top field alone at half width and height (the streams must be half the input's size).
pub const WM_DM_DEINTERLACE_HALFSIZE: WM_DM_INTERLACED_TYPE = 2;
/// Both fields as frames of half size at double rate (not implemented: `NS_E_INVALID_REQUEST`).
pub const WM_DM_DEINTERLACE_HALFSIZEDOUBLERATE: WM_DM_INTERLACED_TYPE = 3;
/// Inverse telecine (not implemented: `NS_E_INVALID_REQUEST`).
pub const WM_DM_DEINTERLACE_INVERSETELECINE: WM_DM_INTERLACED_TYPE = 4;
/// Both fields as frames of half height at double rate (not implemented: `NS_E_INVALID_REQUEST`).
pub const WM_DM_DEINTERLACE_VERTICALHALFSIZEDOUBLERATE: WM_DM_INTERLACED_TYPE = 5;

/// `WMT_CODEC_INFO_TYPE`.
pub type WMT_CODEC_INFO_TYPE = u32;
/// Audio codec.
pub const WMT_CODECINFO_AUDIO: WMT_CODEC_INFO_TYPE = 0;
/// Video codec.
pub const WMT_CODECINFO_VIDEO: WMT_CODEC_INFO_TYPE = 1;
/// Other.
pub const WMT_CODECINFO_UNKNOWN: WMT_CODEC_INFO_TYPE = 0xFFFF_FFFF;

/// Album art for the `WM/Picture` attribute (`WM_PICTURE`, with UTF-8 strings and natural
/// alignment). Pass a pointer to it as the value with `length = sizeof(WM_PICTURE)`
/// and type `WMT_TYPE_BINARY`; the writer stores the SDK's binary layout (picture
/// type, data length, MIME type, description, data), which is what reads return.
#[repr(C)]
#[derive(Debug)]
pub struct WM_PICTURE {
    /// MIME type, e.g. "image/jpeg".
    pub pwszMIMEType: *const c_char,
    /// Picture type (3 = front cover).
    pub bPictureType: u8,
    /// Description (may be "").
    pub pwszDescription: *const c_char,
    /// Bytes at `pbData`.
    pub dwDataLen: u32,
    /// The image.
    pub pbData: *const u8,
}

/// Read a caller value of `length` bytes.
///
/// # Safety
/// `value` is NULL or readable for `length` bytes (for a `WM_PICTURE`, its pointers valid).
unsafe fn read_value(name: &str, ty: WMT_ATTR_DATATYPE, value: *const u8, length: usize) -> Result<AttrValue> {
    let ty = AttrType::from_u32(ty)?;
    if value.is_null() {
        bail!(InvalidArg, "the value pointer is NULL");
    }
    // SAFETY: readable for `length` bytes per the caller.
    let raw = unsafe { std::slice::from_raw_parts(value, length) };
    // A WM/Picture value is either already in the file layout (what reads return), or a
    // WM_PICTURE struct (the SDK's way) — only when it is not a valid serialized value.
    if name == "WM/Picture"
        && ty == AttrType::Binary
        && length == std::mem::size_of::<WM_PICTURE>()
        && (value as usize) % std::mem::align_of::<WM_PICTURE>() == 0
        // (A NULL MIME pointer, all-zero first 8 bytes, is a struct: never scan padding.)
        && !(raw[..8].iter().any(|&b| b != 0) && is_picture_layout(raw))
    {
        // SAFETY: readable for sizeof(WM_PICTURE) and aligned (checked).
        let p = unsafe { &*value.cast::<WM_PICTURE>() };
        // SAFETY: the WM_PICTURE's strings are NUL-terminated per the caller.
        let mime = unsafe { read_str(p.pwszMIMEType, "the picture's MIME type")? };
        // SAFETY: as above; NULL means no description.
        let desc = if p.pwszDescription.is_null() { "" } else { unsafe { read_str(p.pwszDescription, "the picture's description")? } };
        if p.pbData.is_null() && p.dwDataLen > 0 {
            bail!(InvalidArg, "the picture's pbData is NULL");
        }
        // SAFETY: pbData holds dwDataLen bytes per the caller.
        let data = if p.dwDataLen == 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(p.pbData, p.dwDataLen as usize) } };
        return Ok(AttrValue::Raw(AttrType::Binary, picture_bytes(mime, p.bPictureType, desc, data)));
    }
    AttrValue::from_caller(ty, raw)
}

/// The number of attributes on stream `stream` (0 = file level) (`IWMHeaderInfo::GetAttributeCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG`
/// (count NULL), `NS_E_INVALID_REQUEST` (no profile, writing, or no such stream).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_attribute_count(w: *mut WMWriter, stream: u16, count: *mut u16) -> HRESULT {
    call("wm_writer_get_attribute_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { writer(w)? }.attribute_count(stream)?;
        Ok(())
    })
}

/// Same as `wm_writer_get_attribute_count` (`IWMHeaderInfo3::GetAttributeCountEx`).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_attribute_count_ex(w: *mut WMWriter, stream: u16, count: *mut u16) -> HRESULT {
    // SAFETY: same contract.
    unsafe { wm_writer_get_attribute_count(w, stream, count) }
}

/// Attribute `index` of stream `*stream` (`IWMHeaderInfo::GetAttributeByIndex`), with the
/// size-query protocol for the name (bytes incl. NUL) and the value: a NULL buffer
/// asks for its size.
///
/// On failure `*type` is 0. Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG`
/// (NULL stream/type/length pointers, index out of range), `ASF_E_BUFFERTOOSMALL`
/// (sizes written back), `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_attribute_by_index(
    w: *mut WMWriter,
    index: u16,
    stream: *mut u16,
    name: *mut c_char,
    name_len: *mut u16,
    attr_type: *mut WMT_ATTR_DATATYPE,
    value: *mut u8,
    value_len: *mut u16,
) -> HRESULT {
    call("wm_writer_get_attribute_by_index", || {
        // SAFETY: NULL or writable per the C contract; every out-param is zeroed first.
        unsafe { clear(attr_type, 0) };
        // SAFETY: NULL or readable/writable per the C contract.
        let s = *unsafe { out(stream, "stream", InvalidArg)? };
        // SAFETY: as above.
        let t = unsafe { out(attr_type, "type", InvalidArg)? };
        *t = 0;
        // SAFETY: NULL or a live handle.
        let a = unsafe { writer(w)? }.attribute(s, index)?;
        // SAFETY: NULL or writable for the given lengths.
        unsafe {
            write_str(&a.name, name, name_len, "attribute name")?;
            write_bytes(&a.value.caller_bytes(), value, value_len, "attribute value")?;
        }
        *t = a.value.ty() as u32;
        Ok(())
    })
}

/// Attribute `index` of `stream` with its language (`IWMHeaderInfo3::GetAttributeByIndexEx`);
/// 32-bit value length. Same protocol and codes as `wm_writer_get_attribute_by_index`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_attribute_by_index_ex(
    w: *mut WMWriter,
    stream: u16,
    index: u16,
    name: *mut c_char,
    name_len: *mut u16,
    attr_type: *mut WMT_ATTR_DATATYPE,
    language: *mut u16,
    value: *mut u8,
    value_len: *mut u32,
) -> HRESULT {
    call("wm_writer_get_attribute_by_index_ex", || {
        // SAFETY: NULL or writable per the C contract; every out-param is zeroed first.
        unsafe {
            clear(attr_type, 0);
            clear(language, 0);
        }
        // SAFETY: NULL or writable per the C contract.
        let t = unsafe { out(attr_type, "type", InvalidArg)? };
        *t = 0;
        // SAFETY: as above.
        let l = unsafe { out(language, "language", InvalidArg)? };
        *l = 0;
        // SAFETY: NULL or a live handle.
        let a = unsafe { writer(w)? }.attribute(stream, index)?;
        // SAFETY: NULL or writable for the given lengths.
        unsafe {
            write_str(&a.name, name, name_len, "attribute name")?;
            write_bytes(&a.value.caller_bytes(), value, value_len, "attribute value")?;
        }
        *t = a.value.ty() as u32;
        *l = a.language;
        Ok(())
    })
}

/// The first attribute called `name` on stream `*stream` (0 = file level)
/// (`IWMHeaderInfo::GetAttributeByName`). At file level the computed attributes are
/// readable too: Duration (QWORD, 100 ns, of the last file written), Bitrate,
/// Seekable, Broadcast, HasAudio, HasVideo, HasScript, FileSize, NumberOfFrames, ….
/// `value` NULL → `*length` = bytes needed.
///
/// Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG` (NULL stream/name/type/length),
/// `ASF_E_NOTFOUND`, `ASF_E_BUFFERTOOSMALL` (`*length` written back; 0 when the value is over
/// 64 KiB, which only `wm_writer_get_attribute_by_index_ex` can return; `*type` 0),
/// `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_attribute_by_name(
    w: *mut WMWriter,
    stream: *mut u16,
    name: *const c_char,
    attr_type: *mut WMT_ATTR_DATATYPE,
    value: *mut u8,
    length: *mut u16,
) -> HRESULT {
    call("wm_writer_get_attribute_by_name", || {
        // SAFETY: NULL or writable per the C contract; every out-param is zeroed first.
        unsafe { clear(attr_type, 0) };
        // SAFETY: NULL or readable per the C contract.
        let s = *unsafe { out(stream, "stream", InvalidArg)? };
        // SAFETY: NULL or NUL-terminated.
        let n = unsafe { read_str(name, "the attribute name")? };
        // SAFETY: NULL or writable.
        let t = unsafe { out(attr_type, "type", InvalidArg)? };
        *t = 0;
        // SAFETY: NULL or a live handle.
        let v = unsafe { writer(w)? }.attribute_by_name(s, n)?;
        // SAFETY: NULL or writable for `*length` bytes.
        unsafe { write_bytes(&v.caller_bytes(), value, length, "attribute value")? };
        *t = v.ty() as u32;
        Ok(())
    })
}

/// Set an attribute, replacing every attribute of that name on that stream
/// (`IWMHeaderInfo::SetAttribute`). Strings are NUL-terminated UTF-8 with `length`
/// counting the NUL; `WM/Picture` takes a `WM_PICTURE`. Before `begin_writing` only.
///
/// Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG` (NULL name/value, bad
/// length for the type, GUID type, wrong type for a well-known name),
/// `NS_E_ATTRIBUTE_READ_ONLY` (computed attributes such as Duration at file level),
/// `NS_E_INVALID_REQUEST` (writing; no such stream).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_set_attribute(
    w: *mut WMWriter,
    stream: u16,
    name: *const c_char,
    attr_type: WMT_ATTR_DATATYPE,
    value: *const u8,
    length: u16,
) -> HRESULT {
    call("wm_writer_set_attribute", || {
        // SAFETY: NULL or NUL-terminated.
        let n = unsafe { read_str(name, "the attribute name")? };
        // SAFETY: NULL or readable for `length` bytes.
        let v = unsafe { read_value(n, attr_type, value, length as usize)? };
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.set_attribute(stream, n, v)
    })
}

/// Append an attribute (duplicates allowed) (`IWMHeaderInfo3::AddAttribute`); `*index`
/// receives its index on that stream. `language` indexes the file's language list
/// ("en-us" = 0, then the streams' languages). Values may exceed 64 KiB.
///
/// On failure `*index` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG`,
/// `NS_E_ATTRIBUTE_READ_ONLY`, `NS_E_INVALID_REQUEST` (writing; bad stream number).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_add_attribute(
    w: *mut WMWriter,
    stream: u16,
    name: *const c_char,
    index: *mut u16,
    attr_type: WMT_ATTR_DATATYPE,
    language: u16,
    value: *const u8,
    length: u32,
) -> HRESULT {
    call("wm_writer_add_attribute", || {
        // SAFETY: NULL or writable.
        unsafe { clear(index, 0) };
        // SAFETY: NULL or NUL-terminated.
        let n = unsafe { read_str(name, "the attribute name")? };
        // SAFETY: NULL or readable for `length` bytes.
        let v = unsafe { read_value(n, attr_type, value, length as usize)? };
        // SAFETY: NULL or a live handle.
        let i = unsafe { writer(w)? }.add_attribute(stream, n, language, v)?;
        // SAFETY: NULL or writable.
        unsafe { clear(index, i) };
        Ok(())
    })
}

/// Change the value (and language) of attribute `index` on `stream`
/// (`IWMHeaderInfo3::ModifyAttribute`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (index out of range, bad value),
/// `NS_E_ATTRIBUTE_READ_ONLY`, `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_modify_attribute(
    w: *mut WMWriter,
    stream: u16,
    index: u16,
    attr_type: WMT_ATTR_DATATYPE,
    language: u16,
    value: *const u8,
    length: u32,
) -> HRESULT {
    call("wm_writer_modify_attribute", || {
        // SAFETY: NULL or a live handle.
        let mut wr = unsafe { writer(w)? };
        let name = wr.attribute(stream, index).map(|a| a.name).unwrap_or_default();
        // SAFETY: NULL or readable for `length` bytes.
        let v = unsafe { read_value(&name, attr_type, value, length as usize)? };
        wr.modify_attribute(stream, index, language, v)
    })
}

/// Delete attribute `index` on `stream`; later indices move down by one
/// (`IWMHeaderInfo3::DeleteAttribute`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (index out of range), `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_delete_attribute(w: *mut WMWriter, stream: u16, index: u16) -> HRESULT {
    // SAFETY: NULL or a live handle.
    call("wm_writer_delete_attribute", || unsafe { writer(w)? }.delete_attribute(stream, index))
}

/// The indices of the attributes called `name` on `stream`, optionally only those in
/// language `*language` (NULL = any) (`IWMHeaderInfo3::GetAttributeIndices`).
/// `indices` NULL → `*count` = how many.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (name or count NULL),
/// `ASF_E_BUFFERTOOSMALL` (`*count` written back), `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_attribute_indices(
    w: *mut WMWriter,
    stream: u16,
    name: *const c_char,
    language: *const u16,
    indices: *mut u16,
    count: *mut u16,
) -> HRESULT {
    call("wm_writer_get_attribute_indices", || {
        // SAFETY: NULL or NUL-terminated.
        let n = unsafe { read_str(name, "the attribute name")? };
        // SAFETY: NULL or readable.
        let lang = unsafe { language.as_ref() }.copied();
        // SAFETY: NULL or a live handle.
        let found = unsafe { writer(w)? }.attribute_indices(stream, n, lang)?;
        if count.is_null() {
            bail!(InvalidArg, "the count pointer is NULL");
        }
        // SAFETY: non-NULL and writable per the C contract.
        let have = unsafe { *count } as usize;
        // SAFETY: as above.
        unsafe { *count = found.len() as u16 };
        if indices.is_null() {
            return Ok(());
        }
        if have < found.len() {
            bail!(BufferTooSmall, "the index array holds {have} entries; {} are needed (count written back)", found.len());
        }
        // SAFETY: `indices` is writable for `have` ≥ found.len() entries.
        unsafe { std::ptr::copy_nonoverlapping(found.as_ptr(), indices, found.len()) };
        Ok(())
    })
}

/// Add a marker (chapter) at `time` (100 ns) (`IWMHeaderInfo::AddMarker`). The SDK's
/// writer returns E_NOTIMPL here; this one writes an ASF Marker Object whose entries
/// point at the packet where playback of that time starts. Before `begin_writing` only.
///
/// Returns `S_OK`, `E_POINTER` (writer NULL), `E_INVALIDARG` (name NULL or too long),
/// `NS_E_INVALID_REQUEST` (writing).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_add_marker(w: *mut WMWriter, name: *const c_char, time: u64) -> HRESULT {
    call("wm_writer_add_marker", || {
        // SAFETY: NULL or NUL-terminated.
        let n = unsafe { read_str(name, "the marker name")? };
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.add_marker(n, time)
    })
}

/// Remove marker `index` (`IWMHeaderInfo::RemoveMarker`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (out of range), `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_remove_marker(w: *mut WMWriter, index: u16) -> HRESULT {
    // SAFETY: NULL or a live handle.
    call("wm_writer_remove_marker", || unsafe { writer(w)? }.remove_marker(index))
}

/// The number of markers (`IWMHeaderInfo::GetMarkerCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG`, `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_marker_count(w: *mut WMWriter, count: *mut u16) -> HRESULT {
    call("wm_writer_get_marker_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { writer(w)? }.marker_count()?;
        Ok(())
    })
}

/// Marker `index`: name (size-query protocol) and time (`IWMHeaderInfo::GetMarker`).
///
/// On failure `*time` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG`,
/// `ASF_E_BUFFERTOOSMALL`, `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_marker(
    w: *mut WMWriter,
    index: u16,
    name: *mut c_char,
    name_len: *mut u16,
    time: *mut u64,
) -> HRESULT {
    call("wm_writer_get_marker", || {
        // SAFETY: NULL or writable.
        let t = unsafe { out(time, "time", InvalidArg)? };
        *t = 0;
        // SAFETY: NULL or a live handle.
        let m = unsafe { writer(w)? }.marker(index)?;
        // SAFETY: NULL or writable.
        unsafe { write_str(&m.name, name, name_len, "marker name")? };
        *t = m.time;
        Ok(())
    })
}

/// Add a header script command (`IWMHeaderInfo::AddScript`): `type` such as "URL" or
/// "TEXT", the command, and its time (100 ns). Written as an ASF Script Command
/// Object. Before `begin_writing` only.
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (NULL or empty strings),
/// `NS_E_INVALID_REQUEST` (writing).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_add_script(w: *mut WMWriter, script_type: *const c_char, command: *const c_char, time: u64) -> HRESULT {
    call("wm_writer_add_script", || {
        // SAFETY: NULL or NUL-terminated.
        let t = unsafe { read_str(script_type, "the script type")? };
        // SAFETY: NULL or NUL-terminated.
        let c = unsafe { read_str(command, "the script command")? };
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.add_script(t, c, time)
    })
}

/// Remove script command `index` (`IWMHeaderInfo::RemoveScript`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG`, `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_remove_script(w: *mut WMWriter, index: u16) -> HRESULT {
    // SAFETY: NULL or a live handle.
    call("wm_writer_remove_script", || unsafe { writer(w)? }.remove_script(index))
}

/// The number of script commands (`IWMHeaderInfo::GetScriptCount`).
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG`, `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_script_count(w: *mut WMWriter, count: *mut u16) -> HRESULT {
    call("wm_writer_get_script_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { writer(w)? }.script_count()?;
        Ok(())
    })
}

/// Script command `index` (`IWMHeaderInfo::GetScript`): type and command with the
/// size-query protocol, and the time.
///
/// On failure `*time` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG`,
/// `ASF_E_BUFFERTOOSMALL`, `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_script(
    w: *mut WMWriter,
    index: u16,
    script_type: *mut c_char,
    type_len: *mut u16,
    command: *mut c_char,
    command_len: *mut u16,
    time: *mut u64,
) -> HRESULT {
    call("wm_writer_get_script", || {
        // SAFETY: NULL or writable.
        let t = unsafe { out(time, "time", InvalidArg)? };
        *t = 0;
        // SAFETY: NULL or a live handle.
        let s = unsafe { writer(w)? }.script(index)?;
        // SAFETY: NULL or writable for the given lengths.
        unsafe {
            write_str(&s.kind, script_type, type_len, "script type")?;
            write_str(&s.command, command, command_len, "script command")?;
        }
        *t = s.time;
        Ok(())
    })
}

/// The number of codec entries (`IWMHeaderInfo2::GetCodecInfoCount`): one per audio or
/// video stream of the profile, plus those added with `wm_writer_add_codec_info`.
///
/// On failure `*count` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG`, `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_codec_info_count(w: *mut WMWriter, count: *mut u32) -> HRESULT {
    call("wm_writer_get_codec_info_count", || {
        // SAFETY: NULL or writable.
        let o = unsafe { out(count, "count", InvalidArg)? };
        *o = 0;
        // SAFETY: NULL or a live handle.
        *o = unsafe { writer(w)? }.codec_infos()?.len() as u32;
        Ok(())
    })
}

/// Codec entry `index` (`IWMHeaderInfo2::GetCodecInfo`): name, description (size-query
/// protocol, bytes incl. NUL), type, and codec bytes (size-query protocol).
///
/// On failure `*type` is 0. Returns `S_OK`, `E_POINTER`, `E_INVALIDARG`,
/// `ASF_E_BUFFERTOOSMALL`, `NS_E_INVALID_REQUEST`.
#[no_mangle]
pub unsafe extern "C" fn wm_writer_get_codec_info(
    w: *mut WMWriter,
    index: u32,
    name_len: *mut u16,
    name: *mut c_char,
    description_len: *mut u16,
    description: *mut c_char,
    codec_type: *mut WMT_CODEC_INFO_TYPE,
    info_len: *mut u16,
    info: *mut u8,
) -> HRESULT {
    call("wm_writer_get_codec_info", || {
        // SAFETY: NULL or writable.
        let t = unsafe { out(codec_type, "type", InvalidArg)? };
        *t = 0;
        // SAFETY: NULL or a live handle.
        let all = unsafe { writer(w)? }.codec_infos()?;
        let n = all.len();
        let Some(c) = all.into_iter().nth(index as usize) else {
            bail!(InvalidArg, "there are {n} codec entries; index {index} is out of range");
        };
        // SAFETY: NULL or writable for the given lengths.
        unsafe {
            write_str(&c.name, name, name_len, "codec name")?;
            write_str(&c.description, description, description_len, "codec description")?;
            write_bytes(&c.info, info, info_len, "codec info")?;
        }
        *t = c.kind;
        Ok(())
    })
}

/// Add a codec entry (`IWMHeaderInfo3::AddCodecInfo`).
///
/// Returns `S_OK`, `E_POINTER`, `E_INVALIDARG` (NULL strings, info NULL with a length,
/// unknown type), `NS_E_INVALID_REQUEST` (writing).
#[no_mangle]
pub unsafe extern "C" fn wm_writer_add_codec_info(
    w: *mut WMWriter,
    name: *const c_char,
    description: *const c_char,
    codec_type: WMT_CODEC_INFO_TYPE,
    info_len: u16,
    info: *const u8,
) -> HRESULT {
    call("wm_writer_add_codec_info", || {
        // SAFETY: NULL or NUL-terminated.
        let n = unsafe { read_str(name, "the codec name")? };
        // SAFETY: NULL or NUL-terminated.
        let d = unsafe { read_str(description, "the codec description")? };
        if info.is_null() && info_len > 0 {
            bail!(InvalidArg, "the codec info pointer is NULL while its length is {info_len}");
        }
        // SAFETY: readable for `info_len` bytes per the caller.
        let bytes = if info_len == 0 { Vec::new() } else { unsafe { std::slice::from_raw_parts(info, info_len as usize) }.to_vec() };
        // SAFETY: NULL or a live handle.
        unsafe { writer(w)? }.add_codec_info(CodecInfo { name: n.to_string(), description: d.to_string(), kind: codec_type, info: bytes })
    })
}
