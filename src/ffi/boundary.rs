//! The one FFI boundary helper: runs a call, maps its error, catches panics.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::hresult::{fail, set_last_error, E_UNEXPECTED, HRESULT, S_OK};
use crate::error::Result;

/// Run `f` for the exported function `name`: `S_OK` on success; on error, the error's
/// HRESULT and last-error message; on a panic, `E_UNEXPECTED` (a panic never crosses
/// the ABI).
pub(crate) fn boundary(name: &str, f: impl FnOnce() -> Result<HRESULT>) -> HRESULT {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(hr)) => hr,
        Ok(Err(e)) => {
            // Domain messages start with the method's short name ("write_sample: …"):
            // show the C function's name instead, once.
            let msg = match e.message.split_once(": ") {
                Some((head, rest)) if !head.contains(' ') && name.ends_with(head) => format!("{name}: {rest}"),
                _ => format!("{name}: {}", e.message),
            };
            fail(&crate::error::Error::new(e.kind, msg))
        }
        Err(p) => {
            let what = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default();
            set_last_error(&format!("{name}: internal error (caught panic: {what}); the object may be unusable"));
            E_UNEXPECTED
        }
    }
}

/// [`boundary`] for calls that return S_OK on success.
pub(crate) fn call(name: &str, f: impl FnOnce() -> Result<()>) -> HRESULT {
    boundary(name, || f().map(|()| S_OK))
}

/// Run `f` for a function that returns a count (add_ref/release), 0 on a panic.
pub(crate) fn count(f: impl FnOnce() -> u32) -> u32 {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(0)
}
