/*
 * libSoakHeapPreload.so: publishes glibc's mallinfo2 counters of the process it is preloaded
 * into, in the heap page `$LAZYSOAK_HEAP_DIR/heap.<pid>` (layout and protocol in CHeapPage.h).
 *
 * Why no thread of its own: glibc's malloc runs lock-free only while the process has one thread
 * (SINGLE_THREAD_P); the first pthread_create switches it for good to locked arenas and atomic
 * fastbins. A refresher thread that slept on a futex, as this library first had, cost a
 * single-threaded malloc-heavy loop that much on its own (callgrind: +4.7% instructions, all in
 * malloc and _int_free, the lock and atomic paths; ci/preload-cost.sh's idle-thread control costs
 * the same). So the harness's request is answered by the target's own next allocation call:
 * malloc, calloc and realloc are wrapped, and each compares the request word of the page with the
 * last one answered (three loads and a compare) before it jumps to the real function; the call
 * that sees a new request runs mallinfo2 first, outside every glibc lock.
 *
 * A process that starts threads of its own has left glibc's single-thread path already, so a
 * refresher thread costs it nothing more: the first pthread_create of the target starts one, which
 * answers requests while every thread of the target is idle, and refreshes every
 * LAZYSOAK_HEAP_PERIOD_MS. Every signal is blocked in it, and it is never joined. A single-threaded
 * target idle in a system call answers at its next allocation; until then the page holds the
 * counters of its last answer, which is the heap at that moment, since an idle program's heap
 * does not change (the harness waits for the answer only briefly when `answerers` says no thread
 * answers).
 *
 * mallinfo2 holds an arena's lock while it sums the arena's free lists, so answers keep within 1%
 * of the time (see BUDGET) however often the harness asks.
 *
 * Limits, reported in the page or by its absence, never silently:
 *   - a static binary, a setuid one, or a program that clears LD_PRELOAD never loads it, so no
 *     page appears: the harness says so;
 *   - a program whose malloc is not glibc's (jemalloc, tcmalloc, mimalloc linked or preloaded
 *     before it) gets a page marked FOREIGN with the allocator's library named, and no counters;
 *   - a child forked without exec stops answering (its counters are not its parent's); a child
 *     that execs loads the library again and has its own page.
 */
#define _GNU_SOURCE
#include "CHeapHooks.h"
#include "CHeapPage.h"
#include "CHeapPreload.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/single_threaded.h>
#include <time.h>
#include <unistd.h>

typedef struct mallinfo2 (*mallinfo2_function)(void);

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);

/* Where the wrappers send each call: glibc's own functions, or the next wrapper when
 * libSoakHeapStacks.so is preloaded after this library (it samples, then calls glibc's). Set once,
 * in the constructor; before that, glibc's. */
static void *(*next_malloc)(size_t) = __libc_malloc;
static void *(*next_calloc)(size_t, size_t) = __libc_calloc;
static void *(*next_realloc)(void *, size_t) = __libc_realloc;

static lazysoak_heap_page *page;
static mallinfo2_function read_mallinfo2;
/* The word the wrappers watch (the page's `request` once the page exists, `served` itself before
 * and in a forked child) and the last request answered. libSoakHeapStacks.so, preloaded ahead of
 * this library, makes the same check on the same words (CHeapHooks.h). */
static lazysoak_heap_watch watch = { &watch.served, 0 };
/* One answerer at a time: a wrapper of any thread, or the refresher. */
static int answering;
static int refresher_started;

/* mallinfo2 walks every free chunk with the arena locked: on a large fragmented heap that is
 * milliseconds (1.9 ms with 20,000 live blocks, measured), during which the target's malloc in
 * that arena waits. So answers spend at most 1/BUDGET of the time in it: a request that comes
 * sooner after the last refresh than BUDGET times its cost is answered with the last counters
 * (the page's update time says how old they are). */
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

/* Answers the harness's latest request (and refreshes on the refresher's period when `periodic`).
 * Out of line and cold: the wrappers reach it about once per sample of the harness. */
__attribute__((noinline, cold)) static void answer(int periodic) {
    if (!page || __atomic_exchange_n(&answering, 1, __ATOMIC_ACQUIRE)) return;
    int saved_errno = errno; /* inside malloc or free: the caller's errno is not ours to change */
    uint32_t request = lazysoak_load_u32(&page->request);
    if (request != __atomic_load_n(&watch.served, __ATOMIC_RELAXED) || periodic) {
        refresh();
        __atomic_store_n(&watch.served, request, __ATOMIC_RELAXED);
        lazysoak_store_u32(&page->answered, request);
        lazysoak_futex_wake(&page->answered);
    }
    __atomic_store_n(&answering, 0, __ATOMIC_RELEASE);
    errno = saved_errno;
}

lazysoak_heap_watch *lazysoak_heap_page_watch(void) { return &watch; }

void lazysoak_heap_page_answer(void) { answer(0); }

/* Whether the harness asked since the last answer. */
__attribute__((always_inline)) static inline int asked(void) {
    return __builtin_expect(
        __atomic_load_n(watch.watched, __ATOMIC_RELAXED) != __atomic_load_n(&watch.served, __ATOMIC_RELAXED), 0);
}

/* The wrappers check before the real call, which is then a tail call: no frame, no second return,
 * five instructions a call. So an answer leaves out the one allocation that carried it. free is
 * not wrapped at all: every program that frees also allocates, and an answer waits at most for the
 * next allocation. The answering paths are out of line, so the fast path saves no register. */
__attribute__((noinline, cold)) static void *answer_then_malloc(size_t size) {
    answer(0);
    return next_malloc(size);
}

__attribute__((noinline, cold)) static void *answer_then_calloc(size_t count, size_t size) {
    answer(0);
    return next_calloc(count, size);
}

__attribute__((noinline, cold)) static void *answer_then_realloc(void *pointer, size_t size) {
    answer(0);
    return next_realloc(pointer, size);
}

void *malloc(size_t size) { return asked() ? answer_then_malloc(size) : next_malloc(size); }

void *calloc(size_t count, size_t size) {
    return asked() ? answer_then_calloc(count, size) : next_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    return asked() ? answer_then_realloc(pointer, size) : next_realloc(pointer, size);
}

static void *refresher(void *unused) {
    (void)unused;
    int64_t period = (int64_t)page->period_ms * 1000000;
    for (;;) {
        uint32_t seen = __atomic_load_n(&watch.served, __ATOMIC_RELAXED);
        if (lazysoak_futex_wait(&page->request, seen, period > 0 ? period : -1) != 0 && errno == ETIMEDOUT) {
            answer(1);
        } else {
            answer(0);
        }
    }
    return NULL;
}

typedef int (*pthread_create_function)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

/* Starts the refresher, once, when the process has more than one thread. */
static void start_refresher(pthread_create_function create) {
    if (!page || page->allocator != LAZYSOAK_HEAP_GLIBC || !create) return;
    if (__atomic_exchange_n(&refresher_started, 1, __ATOMIC_ACQ_REL)) return;
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attributes, 64 * 1024);
    pthread_t thread;
    if (create(&thread, &attributes, refresher, NULL) == 0) {
        pthread_setname_np(thread, "soak-heap");
        __atomic_store_n(&page->answerers, page->answerers | LAZYSOAK_HEAP_ANSWERED_BY_THREAD, __ATOMIC_RELEASE);
    }
    pthread_attr_destroy(&attributes);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
}

/* The target's first thread is the moment a refresher becomes free: glibc takes its locks from
 * then on in any case. */
int pthread_create(pthread_t *thread, const pthread_attr_t *attributes, void *(*start)(void *), void *argument) {
    static pthread_create_function resolved;
    pthread_create_function create = __atomic_load_n(&resolved, __ATOMIC_ACQUIRE);
    if (!create) {
        create = (pthread_create_function)dlsym(RTLD_NEXT, "pthread_create");
        __atomic_store_n(&resolved, create, __ATOMIC_RELEASE);
    }
    if (!create) return EAGAIN;
    int result = create(thread, attributes, start, argument);
    if (result == 0 && !__atomic_load_n(&refresher_started, __ATOMIC_ACQUIRE)) start_refresher(create);
    return result;
}

/* Whether the library's own definition of `name` is the one the process uses, and which
 * definition comes after it. */
static void *next_definition(const char *name) {
    void *used = dlsym(RTLD_DEFAULT, name);
    Dl_info used_info, own_info;
    if (used && dladdr(used, &used_info) && dladdr((void *)lazysoak_heap_preload_version, &own_info)
        && used_info.dli_fbase == own_info.dli_fbase) {
        return dlsym(RTLD_NEXT, name);
    }
    return used; /* the executable defines it, ahead of any preloaded library */
}

/* Chains the wrappers to what comes after them when the process's malloc is glibc's, or is
 * libSoakHeapStacks.so's (it samples and then calls __libc_malloc, so mallinfo2 still sees every
 * block): glibc's functions, or the sampler's when it was preloaded after this library. Preloaded
 * ahead of it, the sampler's functions are the process's and these wrappers are not called at all
 * (CHeapHooks.h). Names the allocator otherwise. */
static int chain_to_glibc(char *name, size_t size) {
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    void *glibc_malloc = libc ? dlsym(libc, "malloc") : NULL;
    if (libc) dlclose(libc);
    void *used_malloc = next_definition("malloc");
    if (!glibc_malloc || !used_malloc || used_malloc == glibc_malloc) return 1;
    void *stacks = dlsym(RTLD_DEFAULT, "lazysoak_heap_stacks_version");
    Dl_info info, stacks_info;
    int found = dladdr(used_malloc, &info);
    if (found && stacks && dladdr(stacks, &stacks_info) && info.dli_fbase == stacks_info.dli_fbase) {
        void *after_malloc = dlsym(RTLD_NEXT, "malloc"), *after_calloc = dlsym(RTLD_NEXT, "calloc");
        void *after_realloc = dlsym(RTLD_NEXT, "realloc");
        if (after_malloc && after_calloc && after_realloc) {
            next_malloc = (void *(*)(size_t))after_malloc;
            next_calloc = (void *(*)(size_t, size_t))after_calloc;
            next_realloc = (void *(*)(void *, size_t))after_realloc;
            return 1;
        }
    }
    snprintf(name, size, "%s", found && info.dli_fname ? info.dli_fname : "unknown");
    return 0;
}

static void stop_answering_in_child(void) {
    /* The page is the parent's: a forked child must not write its own counters into it. */
    page = NULL;
    __atomic_store_n(&watch.watched, &watch.served, __ATOMIC_RELAXED);
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
    page->answerers = LAZYSOAK_HEAP_ANSWERED_BY_CALLS;
    if (!chain_to_glibc(page->allocator_name, sizeof page->allocator_name)) {
        page->allocator = LAZYSOAK_HEAP_FOREIGN;
    } else {
        read_mallinfo2 = (mallinfo2_function)dlsym(RTLD_DEFAULT, "mallinfo2");
        page->allocator = read_mallinfo2 ? LAZYSOAK_HEAP_GLIBC : LAZYSOAK_HEAP_NO_MALLINFO2;
        snprintf(page->allocator_name, sizeof page->allocator_name, "glibc %s", gnu_get_libc_version());
        refresh();
    }
    pthread_atfork(NULL, NULL, stop_answering_in_child);
    /* The magic last, then the rename: a reader never sees a half-made page. */
    __atomic_store_n(&page->magic, LAZYSOAK_HEAP_PAGE_MAGIC, __ATOMIC_RELEASE);
    if (rename(temporary, path) != 0) {
        unlink(temporary);
        page = NULL;
        return;
    }
    if (page->allocator != LAZYSOAK_HEAP_GLIBC) return;
    watch.served = page->request;
    __atomic_store_n(&watch.watched, &page->request, __ATOMIC_RELEASE);
    /* Threads made before this constructor ran (by another library's constructor) count too. */
    if (!__libc_single_threaded) start_refresher((pthread_create_function)dlsym(RTLD_NEXT, "pthread_create"));
}
