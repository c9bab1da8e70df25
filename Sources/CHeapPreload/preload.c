/*
 * libSoakHeapPreload.so: publishes glibc's mallinfo2 counters of the process it is preloaded
 * into, in the heap page `$LAZYSOAK_HEAP_DIR/heap.<pid>` (layout and protocol in CHeapPage.h).
 *
 * It interposes nothing: malloc and free run exactly as without it. The only cost is one thread,
 * asleep on a futex, that calls mallinfo2 when the harness asks (at each sample) and every
 * LAZYSOAK_HEAP_PERIOD_MS. Every signal is blocked in that thread, so the target's signal handling
 * is unchanged, and the thread is never joined: it dies with the process. mallinfo2 holds an
 * arena's lock while it sums the arena's free lists, so the refresher keeps within 1% of one
 * core (see BUDGET) however often it is asked.
 *
 * Limits, reported in the page or by its absence, never silently:
 *   - a static binary, a setuid one, or a program that clears LD_PRELOAD never loads it, so no
 *     page appears: the harness says so;
 *   - a program whose malloc is not glibc's (jemalloc, tcmalloc, mimalloc linked or preloaded
 *     before it) gets a page marked FOREIGN with the allocator's library named, and no counters;
 *   - a child forked without exec shares its parent's counters until it execs (it has no
 *     refresher of its own); a child that execs loads the library again and has its own page.
 */
#define _GNU_SOURCE
#include "CHeapPage.h"
#include "CHeapPreload.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

typedef struct mallinfo2 (*mallinfo2_function)(void);

static lazysoak_heap_page *page;
static mallinfo2_function read_mallinfo2;
/* mallinfo2 walks every free chunk with the arena locked: on a large fragmented heap that is
 * milliseconds (1.9 ms with 20,000 live blocks, measured), during which the target's malloc in
 * that arena waits. So the refresher spends at most 1/BUDGET of the time in it: a request that
 * comes sooner after the last refresh than BUDGET times its cost is answered with the last
 * counters (the page's update time says how old they are). */
#define BUDGET 100
static uint64_t earliest_next_refresh;

int lazysoak_heap_preload_version(void) { return LAZYSOAK_HEAP_PAGE_VERSION; }

static uint64_t nanoseconds(clockid_t clock) {
    struct timespec now;
    clock_gettime(clock, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static void refresh(void) {
    if (!read_mallinfo2) return;
    uint64_t now = nanoseconds(CLOCK_MONOTONIC);
    if (now < earliest_next_refresh) return;
    uint64_t started = nanoseconds(CLOCK_THREAD_CPUTIME_ID);
    struct mallinfo2 info = read_mallinfo2();
    uint64_t spent = nanoseconds(CLOCK_THREAD_CPUTIME_ID) - started;
    __atomic_store_n(&page->sequence, page->sequence + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    page->in_use = info.uordblks + info.hblkhd;
    page->arena = info.arena;
    page->mmapped = info.hblkhd;
    page->free_bytes = info.fordblks;
    page->refreshes += 1;
    page->refresh_nanoseconds += spent;
    page->updated_monotonic_ns = nanoseconds(CLOCK_MONOTONIC);
    earliest_next_refresh = page->updated_monotonic_ns + spent * BUDGET;
    __atomic_store_n(&page->sequence, page->sequence + 1, __ATOMIC_RELEASE);
}

static void *refresher(void *unused) {
    (void)unused;
    int64_t period = (int64_t)page->period_ms * 1000000;
    uint32_t seen = lazysoak_load_u32(&page->request);
    for (;;) {
        lazysoak_futex_wait(&page->request, seen, period > 0 ? period : -1);
        uint32_t request = lazysoak_load_u32(&page->request);
        refresh();
        lazysoak_store_u32(&page->answered, request);
        if (request != seen) lazysoak_futex_wake(&page->answered);
        seen = request;
    }
    return NULL;
}

/* Whether malloc resolves to glibc's own; names the library it resolves to otherwise. */
static int malloc_is_glibcs(char *name, size_t size) {
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    void *glibc_malloc = libc ? dlsym(libc, "malloc") : NULL;
    void *used_malloc = dlsym(RTLD_DEFAULT, "malloc");
    if (libc) dlclose(libc);
    if (!glibc_malloc || glibc_malloc == used_malloc) return 1;
    /* libSoakHeapStacks.so wraps glibc's own malloc (it samples, then calls __libc_malloc), so
     * mallinfo2 still sees every block. */
    if (dlsym(RTLD_DEFAULT, "lazysoak_heap_stacks_version")) return 1;
    Dl_info info;
    if (used_malloc && dladdr(used_malloc, &info) && info.dli_fname) {
        snprintf(name, size, "%s", info.dli_fname);
    } else {
        snprintf(name, size, "unknown");
    }
    return 0;
}

__attribute__((constructor)) static void start_publishing(void) {
    const char *directory = getenv("LAZYSOAK_HEAP_DIR");
    if (!directory || !*directory) return;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/heap.%ld", directory, (long)getpid()) >= (int)sizeof path) return;
    /* A fresh file each time: an exec keeps the pid, and the new image must not inherit stale counters. */
    char temporary[4120];
    snprintf(temporary, sizeof temporary, "%s.new", path);
    int fd = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return;
    if (ftruncate(fd, LAZYSOAK_HEAP_PAGE_SIZE) != 0) {
        close(fd);
        unlink(temporary);
        return;
    }
    void *mapping = mmap(NULL, LAZYSOAK_HEAP_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (mapping == MAP_FAILED) {
        unlink(temporary);
        return;
    }
    page = mapping;
    page->version = LAZYSOAK_HEAP_PAGE_VERSION;
    page->pid = (uint32_t)getpid();
    const char *period = getenv("LAZYSOAK_HEAP_PERIOD_MS");
    page->period_ms = period ? (uint32_t)strtoul(period, NULL, 10) : 1000;
    if (!malloc_is_glibcs(page->allocator_name, sizeof page->allocator_name)) {
        page->allocator = LAZYSOAK_HEAP_FOREIGN;
    } else {
        read_mallinfo2 = (mallinfo2_function)dlsym(RTLD_DEFAULT, "mallinfo2");
        page->allocator = read_mallinfo2 ? LAZYSOAK_HEAP_GLIBC : LAZYSOAK_HEAP_NO_MALLINFO2;
        snprintf(page->allocator_name, sizeof page->allocator_name, "glibc %s", gnu_get_libc_version());
        refresh();
    }
    /* The magic last, then the rename: a reader never sees a half-made page. */
    __atomic_store_n(&page->magic, LAZYSOAK_HEAP_PAGE_MAGIC, __ATOMIC_RELEASE);
    if (rename(temporary, path) != 0) {
        unlink(temporary);
        return;
    }
    if (page->allocator != LAZYSOAK_HEAP_GLIBC) return;

    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 64 * 1024);
    pthread_t thread;
    if (pthread_create(&thread, &attributes, refresher, NULL) == 0) pthread_setname_np(thread, "soak-heap");
    pthread_attr_destroy(&attributes);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
}
