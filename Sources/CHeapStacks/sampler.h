/* The sampler's parts shared by hooks.c (the allocation functions) and live.c (the tables). */
#ifndef LAZYSOAK_SAMPLER_H
#define LAZYSOAK_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

/* Everything here is internal to the library (hidden: not exported, called without the PLT). */

/* Nonzero once the tables exist; cleared in a child forked without exec. */
extern int lz_enabled __attribute__((visibility("hidden")));
/* Sampled allocations still live. */
extern uint64_t lz_live __attribute__((visibility("hidden")));
/* Per hash bucket of pointers, how many live sampled allocations fall in it (see live.c). */
#define LZ_FILTER_BITS 12
extern uint16_t lz_filter[1u << LZ_FILTER_BITS] __attribute__((visibility("hidden")));
/* One bit per bucket, set while its count is nonzero: what a free reads. 512 bytes, so it stays in
 * the first-level cache of a program whose own data does not (the counts' 8 KiB did not). */
extern uint64_t lz_filter_bits[(1u << LZ_FILTER_BITS) / 64] __attribute__((visibility("hidden")));

/* Every sampled block is page-aligned (hooks.c), and only such pointers reach the filter. */
#define LZ_SAMPLED_ALIGNMENT_BITS 12

/* The bucket of a pointer: bits 12 to 23 of the address, with no multiply. Sampled blocks are
 * page-aligned (the bits below are zero) and live ones spread over the heap, so those bits are
 * as good as a hash, and a free that gets this far pays a shift and a mask rather than a 3-cycle
 * multiply. */
static inline uint32_t lz_filter_index(const void *pointer) {
    return (uint32_t)((uintptr_t)pointer >> LZ_SAMPLED_ALIGNMENT_BITS) & ((1u << LZ_FILTER_BITS) - 1);
}

/* Whether a page-aligned `pointer` may be a sampled allocation: false is certain, true needs the
 * table. With no sampled block live, the filter is all zeros, so it needs no test of its own. */
static inline int lz_maybe_sampled(const void *pointer) {
    uint32_t index = lz_filter_index(pointer);
    return (int)((__atomic_load_n(&lz_filter_bits[index >> 6], __ATOMIC_RELAXED) >> (index & 63)) & 1);
}

/* _dl_find_object (glibc 2.35) finds an address's object and its unwind tables without a lock.
 * Built against an older glibc, every sample uses backtrace() and the hooks' frames are found
 * through dl_iterate_phdr. */
#include <features.h>
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 35)
#define LZ_HAVE_DL_FIND_OBJECT 1
#else
#define LZ_HAVE_DL_FIND_OBJECT 0
#endif

/* Records `pointer` (`size` bytes) as sampled, with the stack of its allocation (the frames of
 * this library and of libSoakHeapPreload.so left out). */
void lz_record(void *pointer, size_t size) __attribute__((visibility("hidden")));
/* Finds the calling thread's stack bounds, once per thread: it may allocate, so it is called
 * before the sampler's lock is taken. */
void lz_unwind_prepare_thread(void) __attribute__((visibility("hidden")));
/* Writes the return addresses of the calling stack, innermost first, starting with lz_unwind's
 * caller's; at most `capacity`. Called under the sampler's lock (its cache of rules is shared).
 * -1 when a frame is beyond its rules: the caller then uses backtrace(). */
int lz_unwind(void **frames, int capacity) __attribute__((visibility("hidden")));
/* Takes a sampled allocation's share back from its stack, if `pointer` is one. */
void lz_forget(void *pointer) __attribute__((visibility("hidden")));
/* A draw of the bytes until the next sample: exponential with the configured mean. */
int64_t lz_next_countdown(void) __attribute__((visibility("hidden")));

#endif
