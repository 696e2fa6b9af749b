//! Arbitrary bytes into the PRX loader, through the C function
//! `wm_profile_manager_load_profile_by_data` (NUL-terminated copy) and the domain
//! `prx::load`. Whatever loads must save, load back to the same data and save to the
//! same bytes; whatever fails must fail with E_INVALIDARG or NS_E_INVALIDPROFILE and
//! leave the out-param NULL.
#![no_main]

use std::ffi::CString;
use std::ptr::null_mut;

use libfuzzer_sys::fuzz_target;
use wmwriter::ffi::hresult::{E_INVALIDARG, NS_E_INVALIDPROFILE, S_OK};
use wmwriter::ffi::profile::wm_profile_release;
use wmwriter::ffi::profile_manager::*;
use wmwriter::profile::prx;

fuzz_target!(|data: &[u8]| {
    // The C path: the bytes up to the first NUL.
    let end = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let c = CString::new(&data[..end]).unwrap();
    let mut pm = null_mut();
    let mut profile = null_mut();
    unsafe {
        assert_eq!(wm_create_profile_manager(&mut pm), S_OK);
        let hr = wm_profile_manager_load_profile_by_data(pm, c.as_ptr(), &mut profile);
        if hr == S_OK {
            assert!(!profile.is_null());
            let mut len = 0u32;
            assert_eq!(wm_profile_manager_save_profile(pm, profile, null_mut(), &mut len), S_OK);
            let mut buf = vec![0u8; len as usize];
            assert_eq!(wm_profile_manager_save_profile(pm, profile, buf.as_mut_ptr().cast(), &mut len), S_OK);
            assert_eq!(wm_profile_release(profile), 0);
        } else {
            assert!(hr == E_INVALIDARG || hr == NS_E_INVALIDPROFILE, "unexpected HRESULT 0x{:08X}", hr as u32);
            assert!(profile.is_null());
        }
        wm_profile_manager_release(pm);
    }
    // The domain path, with the round-trip invariant.
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(p) = prx::load(text) {
            let s1 = prx::save(&p);
            let q = prx::load(&s1).unwrap_or_else(|e| panic!("saved text does not load: {}\n{s1}", e.message));
            assert_eq!(p, q, "load → save → load changed the profile");
            assert_eq!(prx::save(&q), s1, "save → load → save is not byte-identical");
        }
    }
});
