//! `WMT_STATUS` values and the C form of `IWMStatusCallback::OnStatus`
//! (`WMStatusCallback`), used by the indexer.

use std::ffi::c_void;

use super::header_info::WMT_ATTR_DATATYPE;
use super::HRESULT;

/// `WMT_STATUS`: what a status callback reports (the SDK's values).
pub type WMT_STATUS = u32;
/// An error occurred (`hr` says which).
pub const WMT_ERROR: WMT_STATUS = 0;
/// An operation started (the indexer: indexing began; no value).
pub const WMT_STARTED: WMT_STATUS = 11;
/// An operation stopped.
pub const WMT_STOPPED: WMT_STATUS = 12;
/// An operation finished or was closed (the indexer: indexing ended — `hr` is `S_OK`
/// when the index was written, `E_ABORT` after `wm_indexer_cancel`, else the failure;
/// no value).
pub const WMT_CLOSED: WMT_STATUS = 13;
/// Progress (the indexer: a `WMT_TYPE_DWORD` percent 0..100).
pub const WMT_INDEX_PROGRESS: WMT_STATUS = 16;
/// A network client connected.
pub const WMT_CLIENT_CONNECT: WMT_STATUS = 32;
/// A network client disconnected.
pub const WMT_CLIENT_DISCONNECT: WMT_STATUS = 33;
/// A network client connected (extended information).
pub const WMT_CLIENT_CONNECT_EX: WMT_STATUS = 37;
/// A network client disconnected (extended information).
pub const WMT_CLIENT_DISCONNECT_EX: WMT_STATUS = 38;
/// A network client's properties.
pub const WMT_CLIENT_PROPERTIES: WMT_STATUS = 42;

/// `IWMStatusCallback::OnStatus` as a C function: `status`, its `hr`, and a value of
/// `type` (`size` bytes at `value`, NULL / 0 when the status has none). `context` is
/// the pointer given with the callback.
pub type WMStatusCallback = Option<
    unsafe extern "C" fn(context: *mut c_void, status: WMT_STATUS, hr: HRESULT, value_type: WMT_ATTR_DATATYPE, value: *const u8, size: u32),
>;

/// The C callbacks advised on one object (`IWMRegisterCallback`): (callback, context)
/// pairs, called in the order they were advised.
#[derive(Default)]
pub(crate) struct StatusRegistry {
    list: std::sync::Mutex<Vec<(StatusFn, usize)>>,
}

type StatusFn = unsafe extern "C" fn(*mut c_void, WMT_STATUS, HRESULT, WMT_ATTR_DATATYPE, *const u8, u32);

impl std::fmt::Debug for StatusRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StatusRegistry({})", self.lock().len())
    }
}

impl StatusRegistry {
    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(StatusFn, usize)>> {
        self.list.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `Advise`: the pair must not be advised already.
    pub(crate) fn advise(&self, cb: WMStatusCallback, context: *mut c_void) -> crate::error::Result<()> {
        let Some(f) = cb else { crate::bail!(InvalidArg, "the status callback is NULL") };
        let mut l = self.lock();
        if l.iter().any(|&(g, c)| g as usize == f as usize && c == context as usize) {
            crate::bail!(InvalidArg, "this callback is already advised with this context");
        }
        l.push((f, context as usize));
        Ok(())
    }

    /// `Unadvise`: the pair must have been advised.
    pub(crate) fn unadvise(&self, cb: WMStatusCallback, context: *mut c_void) -> crate::error::Result<()> {
        let Some(f) = cb else { crate::bail!(InvalidArg, "the status callback is NULL") };
        let mut l = self.lock();
        let Some(i) = l.iter().position(|&(g, c)| g as usize == f as usize && c == context as usize) else {
            crate::bail!(InvalidArg, "this callback is not advised with this context");
        };
        l.remove(i);
        Ok(())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Call every advised callback (a snapshot: a callback may advise or unadvise).
    pub(crate) fn notify(&self, status: WMT_STATUS, hr: HRESULT, value_type: WMT_ATTR_DATATYPE, value: &[u8]) {
        let list = self.lock().clone();
        let p = if value.is_empty() { std::ptr::null() } else { value.as_ptr() };
        for (f, ctx) in list {
            // SAFETY: the application gave `f` with `ctx` and keeps both valid until it
            // unadvises them (the documented contract).
            unsafe { f(ctx as *mut c_void, status, hr, value_type, p, value.len() as u32) };
        }
    }
}
