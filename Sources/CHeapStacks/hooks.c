/*
 * libSoakHeapStacks.so: the allocation functions, interposed with LD_PRELOAD ahead of
 * libSoakHeapPreload.so when a profile asks for `"heap": {"kind": "glibc", "stacks": true}`.
 *
 * Each thread counts down the bytes it allocates; the allocation that crosses zero is sampled and
 * a new countdown is drawn from an exponential distribution, so samples fall as a Poisson process
 * over bytes (tcmalloc's and jemalloc's heap profilers sample the same way). A sampled block is
 * allocated aligned to SAMPLED_ALIGNMENT, so a free rules out nearly every unsampled block by its
 * address alone. The fast path is one thread-local subtraction per allocation and one test of the
 * address per free; everything else happens on a sample, about once per `sample_bytes` allocated,
 * and a sample's stack costs about a hundred instructions a frame (unwind.c).
 *
 * One layer of wrappers serves the heap page too. Preloaded ahead of the page library, these are
 * the functions the process calls, so they also make the page's check for a request from the
 * harness (CHeapHooks.h) and then call glibc's directly: a call passes through no second wrapper,
 * no second indirect jump. (Preloaded after it, they still work, behind the page's wrappers.)
 * The real work is glibc's own `__libc_*` functions, so nothing is looked up with dlsym (which
 * itself allocates) and the library works from the first allocation of the process.
 */
#define _GNU_SOURCE
#include "CHeapHooks.h"
#include "CHeapStacks.h"
#include "sampler.h"

#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

/* Initial-exec TLS: the general model's __tls_get_addr may allocate, inside malloc. */
static __thread int64_t until_sample __attribute__((tls_model("initial-exec")));
static __thread int countdown_drawn __attribute__((tls_model("initial-exec")));

int lazysoak_heap_stacks_version(void) { return 1; }

/* Bytes between re-checks while sampling is off (before the constructor ran, or in a child forked
 * without exec): the fast path does not test whether sampling is on, so this is how it finds out. */
#define OFF_COUNTDOWN (1 << 20)

/* The alignment of every sampled block: a page. glibc's blocks are 16-byte aligned, so one in 256
 * unsampled blocks is page-aligned too and goes on to the filter (sampler.h); the rest are ruled
 * out by one test of the address, with no load at all. The cost is on sampled blocks alone, about
 * one allocation in `sample_bytes` / (mean block size): glibc cuts the aligned block out of a
 * larger free one and keeps the piece before it on its free lists, for other allocations to use.
 * Smaller alignments send more frees to the filter, whose bitmap, read that rarely, is no longer
 * in the first-level cache: on malloc-loop.c's 16-256 B blocks, 256 B cost about 2% more CPU than
 * 4 KiB (paired runs), though callgrind counts 1.6 fewer instructions an operation (glibc's
 * splitting and consolidating of the larger pieces). sampler.h sets it, since the filter indexes
 * by the bits above it. */
#define SAMPLED_ALIGNMENT ((uintptr_t)1 << LZ_SAMPLED_ALIGNMENT_BITS)

/* The countdown reached zero (or was never drawn, which reads as zero): whether to sample this
 * allocation, with a new countdown drawn. A thread's first allocation only starts its countdown.
 * Out of line, so the hooks' fast path stays a handful of instructions with no stack frame. */
__attribute__((noinline)) static int crossed(size_t size) {
    if (!__atomic_load_n(&lz_enabled, __ATOMIC_RELAXED)) {
        until_sample = OFF_COUNTDOWN;
        countdown_drawn = 0;
        return 0;
    }
    if (!countdown_drawn) {
        countdown_drawn = 1;
        until_sample = lz_next_countdown() - (int64_t)size;
        if (until_sample > 0) return 0;
    }
    until_sample = lz_next_countdown();
    return 1;
}

/* Counts `size` bytes down: whether this allocation is sampled. Decided before the allocation, so a
 * sampled block can be allocated aligned; a failed allocation counts its bytes too, which shifts
 * the next sample a little and costs no test. */
__attribute__((always_inline)) static inline int sampled(size_t size) {
    int64_t left = until_sample - (int64_t)size;
    if (__builtin_expect(left > 0, 1)) {
        until_sample = left;
        return 0;
    }
    return crossed(size);
}

static void *recorded(void *pointer, size_t size) {
    if (pointer) lz_record(pointer, size);
    return pointer;
}

/* Whether `pointer` may be sampled: false is certain, true needs the filter and then the table. */
__attribute__((always_inline)) static inline int may_be_sampled(const void *pointer) {
    return ((uintptr_t)pointer & (SAMPLED_ALIGNMENT - 1)) == 0;
}

/* glibc's functions, called through these pointers rather than the PLT: one indirect jump where
 * the PLT takes a direct one and then an indirect one. Not static, so the compiler cannot fold
 * them back into PLT calls. */
__attribute__((visibility("hidden"))) void *(*lz_glibc_malloc)(size_t) = __libc_malloc;
__attribute__((visibility("hidden"))) void (*lz_glibc_free)(void *) = __libc_free;
__attribute__((visibility("hidden"))) void *(*lz_glibc_calloc)(size_t, size_t) = __libc_calloc;

/* The heap page's watch while these wrappers are the process's (set by the constructor below);
 * until then, and without the page library, one that never shows a request. */
static lazysoak_heap_watch no_page = { &no_page.served, 0 };
static lazysoak_heap_watch *page_watch = &no_page;
static void (*page_answer)(void);

/* Whether the harness asked the heap page for counters since its last answer: three loads and a
 * compare, as in the page's own wrappers. */
__attribute__((always_inline)) static inline int page_asked(void) {
    const lazysoak_heap_watch *watch = __atomic_load_n(&page_watch, __ATOMIC_RELAXED);
    uint32_t request = __atomic_load_n(watch->watched, __ATOMIC_RELAXED);
    return request != __atomic_load_n(&watch->served, __ATOMIC_RELAXED);
}

/* Answers the heap page's request, if there is one. Out of line: about once per sample of the
 * harness. */
__attribute__((noinline)) static void answer_if_asked(void) {
    void (*answer)(void) = __atomic_load_n(&page_answer, __ATOMIC_ACQUIRE);
    if (answer && page_asked()) answer();
}

/* The slow paths: a request of the harness (answered already), or the countdown crossing zero.
 * Out of line: nothing of them is in the wrappers' fast path. */
__attribute__((noinline)) static void *malloc_slow(size_t size) {
    if (!sampled(size)) return __libc_malloc(size);
    return recorded(__libc_memalign(SAMPLED_ALIGNMENT, size), size);
}

__attribute__((noinline)) static void *calloc_slow(size_t count, size_t size) {
    size_t bytes;
    if (__builtin_mul_overflow(count, size, &bytes) || !sampled(bytes)) return __libc_calloc(count, size);
    void *pointer = __libc_memalign(SAMPLED_ALIGNMENT, bytes);
    /* A block glibc mapped on its own is fresh zero pages: clearing it would make all of it
     * resident, where calloc leaves it untouched (IS_MMAPPED, bit 1 of glibc's size word). */
    if (pointer && !(((const size_t *)pointer)[-1] & 2)) memset(pointer, 0, bytes);
    return recorded(pointer, bytes);
}

/* The wrappers check before the real call, so that on the fast path it is a tail call (no frame,
 * no second return). The slow path makes a call that returns, so it alone sets up a stack frame:
 * written as one call and one tail call, the compiler moves the frame's setup into it. */
void *malloc(size_t size) {
    int64_t left = until_sample - (int64_t)size;
    if (__builtin_expect(left > 0, 1) && __builtin_expect(!page_asked(), 1)) {
        until_sample = left;
        return lz_glibc_malloc(size);
    }
    answer_if_asked();
    return malloc_slow(size);
}

/* An aligned block (or NULL) may be sampled: the filter, then the table. */
__attribute__((noinline)) static void forget_if_sampled(void *pointer) {
    if (pointer && lz_maybe_sampled(pointer)) lz_forget(pointer);
}

/* As in malloc, the slow path's call that returns keeps the stack frame off the fast path. */
void free(void *pointer) {
    if (__builtin_expect(may_be_sampled(pointer), 0)) {
        forget_if_sampled(pointer);
        __libc_free(pointer);
        return;
    }
    lz_glibc_free(pointer);
}

void *calloc(size_t count, size_t size) {
    /* An overflowing product fails in calloc; counted as whatever it wraps to, it only shifts the
     * next sample or takes the slow path, which sees the overflow. */
    int64_t left = until_sample - (int64_t)(count * size);
    if (__builtin_expect(left > 0, 1) && __builtin_expect(!page_asked(), 1)) {
        until_sample = left;
        return lz_glibc_calloc(count, size);
    }
    answer_if_asked();
    return calloc_slow(count, size);
}

void *realloc(void *pointer, size_t size) {
    answer_if_asked();
    /* The old block's sample (if any) ends here, whether the block moves or not: the new size
     * is a new allocation as far as sampling goes. */
    if (pointer && may_be_sampled(pointer) && lz_maybe_sampled(pointer)) lz_forget(pointer);
    if (!sampled(size)) return __libc_realloc(pointer, size);
    if (pointer && size == 0) {
        __libc_free(pointer);
        return NULL;
    }
    /* A sampled block must be aligned: moved by hand, as realloc moves one that cannot grow. */
    void *moved = __libc_memalign(SAMPLED_ALIGNMENT, size);
    if (!moved) return NULL;
    if (pointer) {
        size_t old = malloc_usable_size(pointer);
        memcpy(moved, pointer, old < size ? old : size);
        __libc_free(pointer);
    }
    return recorded(moved, size);
}

/* An aligned allocation, at least SAMPLED_ALIGNMENT-aligned when sampled. */
static void *aligned(size_t alignment, size_t size) {
    if (!sampled(size)) return __libc_memalign(alignment, size);
    return recorded(__libc_memalign(alignment > SAMPLED_ALIGNMENT ? alignment : SAMPLED_ALIGNMENT, size), size);
}

void *memalign(size_t alignment, size_t size) { return aligned(alignment, size); }

void *aligned_alloc(size_t alignment, size_t size) { return aligned(alignment, size); }

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = aligned(alignment, size);
    if (!pointer) return ENOMEM;
    *result = pointer;
    return 0;
}

/* Watches the heap page when these wrappers are the process's malloc (this library preloaded ahead
 * of libSoakHeapPreload.so): the page's own wrappers then never run, so its requests are answered
 * from here. Behind the page's wrappers, they answer, and this check stays on `no_page`. */
__attribute__((constructor)) static void watch_heap_page(void) {
    typedef lazysoak_heap_watch *(*watch_function)(void);
    watch_function watch = (watch_function)dlsym(RTLD_DEFAULT, "lazysoak_heap_page_watch");
    void (*answer)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "lazysoak_heap_page_answer");
    void *used = dlsym(RTLD_DEFAULT, "malloc");
    Dl_info used_info, own_info;
    if (!watch || !answer || !used || !dladdr(used, &used_info)
        || !dladdr((void *)lazysoak_heap_stacks_version, &own_info) || used_info.dli_fbase != own_info.dli_fbase) {
        return;
    }
    __atomic_store_n(&page_answer, answer, __ATOMIC_RELEASE);
    __atomic_store_n(&page_watch, watch(), __ATOMIC_RELEASE);
}
