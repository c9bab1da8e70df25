/*
 * libSoakHeapStacks.so: the allocation functions, interposed with LD_PRELOAD beside
 * libSoakHeapPreload.so when a profile asks for `"heap": {"kind": "glibc", "stacks": true}`.
 *
 * Each thread counts down the bytes it allocates; the allocation that crosses zero is sampled and
 * a new countdown is drawn from an exponential distribution, so samples fall as a Poisson process
 * over bytes (tcmalloc's and jemalloc's heap profilers sample the same way). The fast path is one
 * thread-local subtraction per allocation and, per free, one load of a global counter and of a
 * 8 KiB filter; everything else happens on a sample, about once per `sample_bytes` allocated,
 * and a sample's stack costs about a hundred instructions a frame (unwind.c).
 * The real work is glibc's own `__libc_*` functions, so nothing is looked up with dlsym (which
 * itself allocates) and the library works from the first allocation of the process.
 */
#define _GNU_SOURCE
#include "CHeapStacks.h"
#include "sampler.h"

#include <errno.h>
#include <stdlib.h>

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

/* The countdown reached zero (or was never drawn, which reads as zero): sample this allocation,
 * or only start the thread's countdown on its first allocation. Out of line, so the hooks' fast
 * path stays a handful of instructions with no stack frame. */
__attribute__((noinline)) static void *crossed(void *pointer, size_t size) {
    if (!__atomic_load_n(&lz_enabled, __ATOMIC_RELAXED)) {
        until_sample = OFF_COUNTDOWN;
        countdown_drawn = 0;
        return pointer;
    }
    if (!countdown_drawn) {
        countdown_drawn = 1;
        until_sample = lz_next_countdown() - (int64_t)size;
        if (until_sample > 0) return pointer;
    }
    until_sample = lz_next_countdown();
    if (pointer) lz_record(pointer, size);
    return pointer;
}

/* The fast path: one thread-local subtraction and a test. A failed allocation counts its bytes
 * too, which shifts the next sample a little and costs no test. */
__attribute__((always_inline)) static inline void *account(void *pointer, size_t size) {
    int64_t left = until_sample - (int64_t)size;
    if (__builtin_expect(left > 0, 1)) {
        until_sample = left;
        return pointer;
    }
    return crossed(pointer, size);
}

/* malloc and calloc count down before the real call, so that call is a tail call (no frame, no
 * second return): the block is needed only when the countdown crosses zero, out of line. */
__attribute__((noinline)) static void *sampled_malloc(size_t size) { return crossed(__libc_malloc(size), size); }

void *malloc(size_t size) {
    int64_t left = until_sample - (int64_t)size;
    if (__builtin_expect(left > 0, 1)) {
        until_sample = left;
        return __libc_malloc(size);
    }
    return sampled_malloc(size);
}

void free(void *pointer) {
    if (pointer && lz_maybe_sampled(pointer)) lz_forget(pointer);
    __libc_free(pointer);
}

__attribute__((noinline)) static void *sampled_calloc(size_t count, size_t size) {
    return crossed(__libc_calloc(count, size), count * size);
}

void *calloc(size_t count, size_t size) {
    /* An overflowing product fails in calloc; counted as whatever it wraps to, it only shifts the
     * next sample. */
    int64_t left = until_sample - (int64_t)(count * size);
    if (__builtin_expect(left > 0, 1)) {
        until_sample = left;
        return __libc_calloc(count, size);
    }
    return sampled_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    /* The old block's sample (if any) ends here, whether the block moves or not: the new size
     * is a new allocation as far as sampling goes. */
    if (pointer && lz_maybe_sampled(pointer)) lz_forget(pointer);
    return account(__libc_realloc(pointer, size), size);
}

void *memalign(size_t alignment, size_t size) { return account(__libc_memalign(alignment, size), size); }

void *aligned_alloc(size_t alignment, size_t size) { return account(__libc_memalign(alignment, size), size); }

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) return EINVAL;
    void *pointer = __libc_memalign(alignment, size);
    if (!pointer) return ENOMEM;
    *result = account(pointer, size);
    return 0;
}
