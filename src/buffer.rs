//! Sample buffers (`INSSBuffer`) and the pool they come from.
//!
//! A [`SampleBuffer`] owns a fixed block of initialised bytes that never moves, so the
//! pointer handed to C stays valid for the buffer's life. Buffers made by a
//! [`BufferPool`] return their block to the pool when the last reference goes, so a
//! writer in steady state allocates nothing.
#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use crate::error::Result;
use crate::guid::Guid;
use crate::{bail, err};

/// One sample buffer: a block of `max_length` bytes and a used length.
#[derive(Debug)]
pub struct SampleBuffer {
    /// The bytes. Its length is the block size (≥ `max_length`); it is never resized,
    /// so `as_mut_ptr` stays valid while the buffer lives.
    block: Mutex<Vec<u8>>,
    max_length: u32,
    length: AtomicU32,
    /// Set while a writer holds this buffer in its queue (not yet copied to the output).
    queued: AtomicBool,
    /// Sample properties (`INSSBuffer3::SetProperty`): data-unit extension values.
    properties: Mutex<Vec<(Guid, Vec<u8>)>>,
    /// The sample-properties block (`INSSBuffer2::SetSampleProperties`).
    sample_properties: Mutex<Vec<u8>>,
    pool: Option<Weak<PoolInner>>,
}

impl SampleBuffer {
    /// A stand-alone buffer of `max_length` bytes (not pooled), length 0.
    pub fn new(max_length: u32) -> Result<Self> {
        Ok(SampleBuffer::from_block(alloc_block(max_length as usize)?, max_length, None))
    }

    fn from_block(block: Vec<u8>, max_length: u32, pool: Option<Weak<PoolInner>>) -> Self {
        SampleBuffer {
            block: Mutex::new(block),
            max_length,
            length: AtomicU32::new(0),
            queued: AtomicBool::new(false),
            properties: Mutex::default(),
            sample_properties: Mutex::default(),
            pool,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        // The block holds plain bytes: a panic elsewhere cannot leave it inconsistent.
        self.block.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Capacity in bytes (`INSSBuffer::GetMaxLength`).
    pub fn max_length(&self) -> u32 {
        self.max_length
    }

    /// Used length in bytes (`INSSBuffer::GetLength`).
    pub fn length(&self) -> u32 {
        self.length.load(Ordering::Acquire)
    }

    /// Set the used length (`INSSBuffer::SetLength`); more than the capacity is refused.
    pub fn set_length(&self, length: u32) -> Result<()> {
        if length > self.max_length {
            bail!(InvalidArg, "set_length: {length} bytes is more than the buffer's max length of {}", self.max_length);
        }
        self.length.store(length, Ordering::Release);
        Ok(())
    }

    /// The start of the block, for the caller to fill (`INSSBuffer::GetBuffer`).
    /// Valid for the whole life of the buffer; never NULL.
    pub fn data_ptr(&self) -> *mut u8 {
        self.lock().as_mut_ptr()
    }

    /// Copy `bytes` into the buffer and set the length to match (the safe way to fill a
    /// buffer from Rust); more than the capacity is refused.
    pub fn copy_from(&self, bytes: &[u8]) -> Result<()> {
        if bytes.len() > self.max_length as usize {
            bail!(InvalidArg, "{} bytes do not fit a buffer of max length {}", bytes.len(), self.max_length);
        }
        self.lock()[..bytes.len()].copy_from_slice(bytes);
        self.length.store(bytes.len() as u32, Ordering::Release);
        Ok(())
    }

    /// Let `f` fill the first `len` bytes in place (no intermediate copy), then set the
    /// length to `len`; more than the capacity is refused.
    pub fn fill_with<R>(&self, len: u32, f: impl FnOnce(&mut [u8]) -> R) -> Result<R> {
        if len > self.max_length {
            bail!(InvalidArg, "{len} bytes do not fit a buffer of max length {}", self.max_length);
        }
        let r = f(&mut self.lock()[..len as usize]);
        self.length.store(len, Ordering::Release);
        Ok(r)
    }

    /// Run `f` over the used bytes.
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        let len = self.length() as usize;
        let block = self.lock();
        f(&block[..len])
    }

    /// Run `f` over the first `len` bytes (a length captured earlier).
    pub fn with_prefix<R>(&self, len: usize, f: impl FnOnce(&[u8]) -> R) -> R {
        let block = self.lock();
        f(&block[..len.min(self.max_length as usize)])
    }

    /// Set a sample property (`INSSBuffer3::SetProperty`), replacing one with the same ID.
    pub fn set_property(&self, id: Guid, value: &[u8]) -> Result<()> {
        let mut v = Vec::new();
        v.try_reserve_exact(value.len()).map_err(|_| crate::err!(OutOfMemory, "cannot store a {}-byte property", value.len()))?;
        v.extend_from_slice(value);
        let mut props = self.properties.lock().unwrap_or_else(PoisonError::into_inner);
        match props.iter_mut().find(|(g, _)| *g == id) {
            Some(slot) => slot.1 = v,
            None => props.push((id, v)),
        }
        Ok(())
    }

    /// A sample property's value (`INSSBuffer3::GetProperty`).
    pub fn property(&self, id: &Guid) -> Option<Vec<u8>> {
        self.properties.lock().unwrap_or_else(PoisonError::into_inner).iter().find(|(g, _)| g == id).map(|p| p.1.clone())
    }

    /// Replace the sample-properties block (`INSSBuffer2::SetSampleProperties`).
    pub fn set_sample_properties(&self, value: &[u8]) -> Result<()> {
        let mut v = Vec::new();
        v.try_reserve_exact(value.len())
            .map_err(|_| crate::err!(OutOfMemory, "cannot store {} bytes of sample properties", value.len()))?;
        v.extend_from_slice(value);
        *self.sample_properties.lock().unwrap_or_else(PoisonError::into_inner) = v;
        Ok(())
    }

    /// The sample-properties block (`INSSBuffer2::GetSampleProperties`).
    pub fn sample_properties(&self) -> Vec<u8> {
        self.sample_properties.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// All properties in the order they were first set (`INSSBuffer4`).
    pub fn properties(&self) -> Vec<(Guid, Vec<u8>)> {
        self.properties.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Mark the buffer as held by a writer queue; fails if it already is.
    pub fn mark_queued(&self) -> Result<()> {
        if self.queued.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire).is_err() {
            bail!(InvalidArg, "this buffer is still queued in the writer from an earlier write; allocate a new buffer for every sample");
        }
        Ok(())
    }

    /// The writer has copied the bytes out; the buffer may be written again.
    pub fn unmark_queued(&self) {
        self.queued.store(false, Ordering::Release);
    }

    /// Whether a writer still holds this buffer.
    pub fn is_queued(&self) -> bool {
        self.queued.load(Ordering::Acquire)
    }
}

impl Drop for SampleBuffer {
    fn drop(&mut self) {
        if let Some(pool) = self.pool.as_ref().and_then(Weak::upgrade) {
            let block = std::mem::take(self.block.get_mut().unwrap_or_else(PoisonError::into_inner));
            pool.put(block);
        }
    }
}

fn alloc_block(size: usize) -> Result<Vec<u8>> {
    let mut v: Vec<u8> = Vec::new();
    v.try_reserve_exact(size).map_err(|_| err!(OutOfMemory, "could not allocate a {size}-byte buffer"))?;
    v.resize(size, 0);
    Ok(v)
}

/// Size classes: powers of two from 256 bytes; blocks are reused within a class.
fn size_class(size: usize) -> usize {
    size.max(256).next_power_of_two()
}

#[derive(Debug)]
struct PoolInner {
    free: Mutex<PoolFree>,
    max_cached_bytes: usize,
}

#[derive(Debug, Default)]
struct PoolFree {
    /// Free blocks by class (index = log2 of the class).
    by_class: Vec<Vec<Vec<u8>>>,
    cached_bytes: usize,
}

impl PoolInner {
    fn put(&self, block: Vec<u8>) {
        let len = block.len();
        if len == 0 || !len.is_power_of_two() {
            return;
        }
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        if free.cached_bytes + len > self.max_cached_bytes {
            return; // drop it: memory stays bounded
        }
        let class = len.trailing_zeros() as usize;
        if free.by_class.len() <= class {
            free.by_class.resize_with(class + 1, Vec::new);
        }
        free.by_class[class].push(block);
        free.cached_bytes += len;
    }

    fn take(&self, class_size: usize) -> Option<Vec<u8>> {
        let class = class_size.trailing_zeros() as usize;
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        let block = free.by_class.get_mut(class)?.pop()?;
        free.cached_bytes -= block.len();
        Some(block)
    }
}

/// A pool of sample-buffer blocks; cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct BufferPool {
    inner: Arc<PoolInner>,
}

impl Default for BufferPool {
    fn default() -> Self {
        BufferPool::new(64 << 20)
    }
}

impl BufferPool {
    /// A pool that keeps at most `max_cached_bytes` of free blocks.
    pub fn new(max_cached_bytes: usize) -> Self {
        BufferPool { inner: Arc::new(PoolInner { free: Mutex::new(PoolFree::default()), max_cached_bytes }) }
    }

    /// A buffer of `max_length` bytes, length 0, from the pool when a block is free.
    pub fn allocate(&self, max_length: u32) -> Result<Arc<SampleBuffer>> {
        let class = size_class(max_length as usize);
        let block = match self.inner.take(class) {
            Some(b) => b,
            None => alloc_block(class)?,
        };
        Ok(Arc::new(SampleBuffer::from_block(block, max_length, Some(Arc::downgrade(&self.inner)))))
    }

    /// Bytes of free blocks the pool holds now.
    pub fn cached_bytes(&self) -> usize {
        self.inner.free.lock().unwrap_or_else(PoisonError::into_inner).cached_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn length_rules() {
        let b = SampleBuffer::new(10).unwrap();
        assert_eq!(b.max_length(), 10);
        assert_eq!(b.length(), 0);
        assert!(b.set_length(10).is_ok());
        assert_eq!(b.set_length(11).unwrap_err().kind, ErrorKind::InvalidArg);
        assert_eq!(b.length(), 10);
    }

    #[test]
    fn pool_reuses_blocks() {
        let pool = BufferPool::default();
        let a = pool.allocate(1000).unwrap();
        let p = a.data_ptr();
        drop(a);
        assert_eq!(pool.cached_bytes(), 1024);
        let b = pool.allocate(700).unwrap();
        assert_eq!(b.data_ptr(), p, "same block reused");
        assert_eq!(b.max_length(), 700);
        assert_eq!(pool.cached_bytes(), 0);
    }

    #[test]
    fn pool_is_bounded() {
        let pool = BufferPool::new(4096);
        let bufs: Vec<_> = (0..4).map(|_| pool.allocate(2048).unwrap()).collect();
        drop(bufs);
        assert_eq!(pool.cached_bytes(), 4096);
    }

    #[test]
    fn queued_twice_is_refused() {
        let b = SampleBuffer::new(4).unwrap();
        b.mark_queued().unwrap();
        assert_eq!(b.mark_queued().unwrap_err().kind, ErrorKind::InvalidArg);
        b.unmark_queued();
        b.mark_queued().unwrap();
    }
}

#[cfg(test)]
impl SampleBuffer {
    /// Tests fill buffers through this instead of the raw pointer.
    pub(crate) fn with_prefix_mut_for_tests(&self, f: impl FnOnce(&mut [u8])) {
        let mut block = self.lock();
        let n = self.max_length as usize;
        f(&mut block[..n]);
    }
}
