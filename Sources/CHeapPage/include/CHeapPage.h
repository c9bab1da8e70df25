#ifndef LAZYSOAK_CHEAPPAGE_H
#define LAZYSOAK_CHEAPPAGE_H

/*
 * The heap page: one 4 KiB file that the preload library (libSoakHeapPreload.so) shares with the
 * harness. The library, loaded into a target with LD_PRELOAD, creates
 * `$LAZYSOAK_HEAP_DIR/heap.<pid>` and publishes glibc's mallinfo2 counters in it; the harness
 * maps the same file and reads them at each sample.
 *
 * Refreshing is lazy: the harness adds one to `request` (and wakes any waiter on it); the library
 * calls mallinfo2, writes the counters under the sequence lock, sets `answered` to the request it
 * served and wakes the harness. So the counters are read at the sample's instant and cost nothing
 * in between. Who answers (`answerers`): the target's own next allocation call, which compares
 * `request` with the last request answered, since a thread would take glibc off its
 * single-thread path; and, in a target that runs threads of its own, a refresher thread asleep on
 * `request` that also refreshes every `$LAZYSOAK_HEAP_PERIOD_MS` (default 1000; 0: only on
 * request). A single-threaded target idle in a system call answers at its next allocation; until
 * then the page holds the counters of its last answer (`updated_monotonic_ns` says when). No signal is ever sent to
 * the target, and its threads never stop: mallinfo2 only holds each arena's lock while it sums
 * that arena's free lists.
 */

#include <stdbool.h>
#include <stdint.h>

#include "CHeapStackTable.h" /* the stack table of libSoakHeapStacks.so, read by the same harness */

#define LAZYSOAK_HEAP_PAGE_MAGIC 0x504145484b535a4cULL /* the bytes "LZSKHEAP" on a little-endian machine */
#define LAZYSOAK_HEAP_PAGE_VERSION 2
#define LAZYSOAK_HEAP_PAGE_SIZE 4096

/* What the library found about the process's allocator. */
enum {
    LAZYSOAK_HEAP_GLIBC = 1,   /* glibc malloc with mallinfo2: the counters are right */
    LAZYSOAK_HEAP_FOREIGN = 2, /* malloc is not glibc's (jemalloc, tcmalloc, mimalloc...): no counters */
    LAZYSOAK_HEAP_NO_MALLINFO2 = 3 /* glibc older than 2.33: no counters */
};

/* Who answers a request (`answerers`, bits). */
enum {
    LAZYSOAK_HEAP_ANSWERED_BY_CALLS = 1, /* the target's next malloc, free, calloc or realloc */
    LAZYSOAK_HEAP_ANSWERED_BY_THREAD = 2 /* a refresher thread, even while the target is idle */
};

typedef struct {
    uint64_t magic;
    uint32_t version;
    uint32_t pid;
    uint32_t allocator;      /* LAZYSOAK_HEAP_* */
    uint32_t request;        /* the harness adds one and wakes the refresher (futex) */
    uint32_t answered;       /* the request last served (futex the harness waits on) */
    uint32_t period_ms;
    uint64_t sequence;       /* odd while the counters below are being written */
    uint64_t in_use;         /* uordblks + hblkhd: bytes in allocated chunks, mmapped ones included */
    uint64_t arena;          /* bytes obtained with sbrk and in non-main arenas */
    uint64_t mmapped;        /* hblkhd: bytes in mmapped chunks */
    uint64_t free_bytes;     /* fordblks: bytes in free chunks */
    uint64_t refreshes;      /* how many times the counters were written */
    uint64_t refresh_nanoseconds; /* CPU time the refresher spent in mallinfo2, in total */
    uint64_t updated_monotonic_ns; /* CLOCK_MONOTONIC of the last refresh */
    char allocator_name[64]; /* "glibc 2.36", or what malloc resolves to when it is not glibc's */
    uint32_t answerers;      /* LAZYSOAK_HEAP_ANSWERED_BY_* bits */
    uint32_t reserved;
} lazysoak_heap_page;

/* Wakes every waiter on `address` (a word of a shared mapping); returns how many woke. */
int lazysoak_futex_wake(uint32_t *address);

/* Waits while *address == expected, at most timeout_ns (< 0: forever). 0 when woken or the value
 * differed, -1 with errno (ETIMEDOUT, EINTR) otherwise. */
int lazysoak_futex_wait(uint32_t *address, uint32_t expected, int64_t timeout_ns);

/* Atomic accessors, so Swift reads and writes the shared words with the same ordering as C. */
uint32_t lazysoak_load_u32(const uint32_t *address);
void lazysoak_store_u32(uint32_t *address, uint32_t value);
uint32_t lazysoak_add_u32(uint32_t *address, uint32_t value);
uint64_t lazysoak_load_u64(const uint64_t *address);

/* Copies the counters consistently (sequence lock); false if a writer kept them busy throughout. */
bool lazysoak_heap_page_read(const lazysoak_heap_page *page, lazysoak_heap_page *copy);

#endif
