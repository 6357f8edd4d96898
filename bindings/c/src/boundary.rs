//! What every exported function goes through: the panic boundary and the pointer checks.
//!
//! A panic must never unwind into C (that aborts the process at best). Every exported
//! function runs its body in [`guard`], which catches a panic and returns the function's
//! [`Fallback::panicked`] value instead: `CCCD_STATUS_PANIC` for functions returning a status,
//! `NULL`, `0` or `false` for the others.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// What an exported function returns when its body panicked or a pointer it needs is `NULL`.
pub(crate) trait Fallback {
    /// The value returned after a caught panic.
    fn panicked() -> Self;
    /// The value returned when a required pointer is `NULL` or misaligned.
    fn null() -> Self;
}

impl<T> Fallback for *const T {
    fn panicked() -> Self {
        ptr::null()
    }
    fn null() -> Self {
        ptr::null()
    }
}

impl<T> Fallback for *mut T {
    fn panicked() -> Self {
        ptr::null_mut()
    }
    fn null() -> Self {
        ptr::null_mut()
    }
}

impl Fallback for () {
    fn panicked() -> Self {}
    fn null() -> Self {}
}

impl Fallback for usize {
    fn panicked() -> Self {
        0
    }
    fn null() -> Self {
        0
    }
}

impl Fallback for bool {
    fn panicked() -> Self {
        false
    }
    fn null() -> Self {
        false
    }
}

/// Runs `body`; a panic in it gives `T::panicked()`.
///
/// `AssertUnwindSafe` is sound here because nothing `body` may have left half-updated is
/// used after a panic: exported functions only read their inputs and write their out
/// parameters once, at the end, on the non-panicking path.
pub(crate) fn guard<T: Fallback>(body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|_| T::panicked())
}

/// `ptr` as a shared reference, or `None` when it is `NULL` or not aligned for `T` (a pointer
/// that cannot have come from this library).
///
/// # Safety
/// A non-`NULL`, aligned `ptr` must point to a live `T` for `'a`.
pub(crate) unsafe fn as_ref<'a, T>(ptr: *const T) -> Option<&'a T> {
    if ptr.is_null() || !ptr.is_aligned() {
        return None;
    }
    // SAFETY: not NULL, aligned, and live by the caller's contract.
    Some(unsafe { &*ptr })
}

/// `ptr` as an exclusive reference, or `None` when it is `NULL` or not aligned for `T`.
///
/// # Safety
/// A non-`NULL`, aligned `ptr` must point to a `T` that nothing else accesses during `'a`.
pub(crate) unsafe fn as_mut<'a, T>(ptr: *mut T) -> Option<&'a mut T> {
    if ptr.is_null() || !ptr.is_aligned() {
        return None;
    }
    // SAFETY: not NULL, aligned, and exclusive by the caller's contract.
    Some(unsafe { &mut *ptr })
}

/// The `len` bytes at `ptr`. `NULL` with `len == 0` is the empty slice (some callers, .NET's
/// marshaller among them, pass `NULL` for an empty array); `NULL` with `len > 0` is `None`,
/// and so is a `len` no allocation can have (over `isize::MAX`).
///
/// # Safety
/// A non-`NULL` `ptr` must point to `len` readable bytes that stay unchanged during `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Option<&'a [u8]> {
    if len == 0 {
        return Some(&[]);
    }
    if ptr.is_null() || len > isize::MAX as usize {
        return None;
    }
    // SAFETY: not NULL, `len` bytes readable by the caller's contract, `len` <= isize::MAX.
    Some(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The NUL-terminated string at `ptr`, `None` for `NULL`.
///
/// # Safety
/// A non-`NULL` `ptr` must point to a NUL-terminated string that stays unchanged during `'a`.
pub(crate) unsafe fn c_str<'a>(ptr: *const c_char) -> Option<&'a CStr> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: not NULL and NUL-terminated by the caller's contract.
    Some(unsafe { CStr::from_ptr(ptr) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_fallback_value() {
        let quiet = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let p: *const u8 = guard(|| panic!("boom"));
        let n: usize = guard(|| panic!("boom"));
        let b: bool = guard(|| panic!("boom"));
        std::panic::set_hook(quiet);
        assert!(p.is_null());
        assert_eq!(n, 0);
        assert!(!b);
        assert_eq!(guard(|| 7usize), 7);
    }

    #[test]
    fn null_and_misaligned_pointers_are_refused() {
        let x = 5u64;
        // SAFETY: a live u64.
        assert_eq!(unsafe { as_ref(&x as *const u64) }, Some(&5));
        // SAFETY: NULL and a misaligned pointer are never dereferenced.
        unsafe {
            assert_eq!(as_ref::<u64>(ptr::null()), None);
            let odd = (&x as *const u64)
                .cast::<u8>()
                .wrapping_add(1)
                .cast::<u64>();
            assert_eq!(as_ref(odd), None);
        }
    }

    #[test]
    fn slices_from_pointers() {
        let data = [1u8, 2, 3];
        // SAFETY: `data` is 3 readable bytes; NULL is never dereferenced.
        unsafe {
            assert_eq!(bytes(data.as_ptr(), 3), Some(&data[..]));
            assert_eq!(bytes(ptr::null(), 0), Some(&[][..]));
            assert_eq!(bytes(ptr::null(), 1), None);
            assert_eq!(bytes(data.as_ptr(), usize::MAX), None);
            assert_eq!(c_str(ptr::null()), None);
        }
    }
}
