/*
 * The sampler's tables. Live sampled allocations sit in a private open-addressing table keyed by
 * pointer (linear probing, deletion by backward shift, so no tombstones pile up); the stacks sit in
 * the shared file the harness reads (CHeapStackTable.h). Both change only under one spin lock,
 * taken on a sample and on the free of a pointer the filter cannot rule out, never on the fast
 * path. A free checks the block's alignment first (sampled blocks are page-aligned, hooks.c),
 * then `lz_filter_bits`: one bit per pointer bucket, set while the bucket's 16-bit count in
 * `lz_filter` is nonzero, so the one unsampled free in 256 that is so aligned costs a load from a
 * 512-byte bitmap.
 */
#define _GNU_SOURCE
#include "CHeapStackTable.h"
#include "sampler.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int lz_enabled;
uint64_t lz_live;
uint16_t lz_filter[1u << LZ_FILTER_BITS];
uint64_t lz_filter_bits[(1u << LZ_FILTER_BITS) / 64];

#define LIVE_BITS 16
#define LIVE_CAPACITY (1u << LIVE_BITS)
typedef struct {
    void *pointer; /* NULL: empty slot */
    uint32_t stack;
    uint32_t reserved;
    uint64_t bytes;       /* the scaled share given to the stack */
    uint64_t count_milli;
} live_slot;

static lazysoak_stack_table *table;
static live_slot *live;
static double mean_bytes = 512 * 1024;
static int lock_word;
static __thread uint64_t random_state __attribute__((tls_model("initial-exec")));
static __thread int in_sampler __attribute__((tls_model("initial-exec")));

static void lock(void) {
    while (__atomic_exchange_n(&lock_word, 1, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&lock_word, __ATOMIC_RELAXED)) sched_yield();
    }
}

static void unlock(void) { __atomic_store_n(&lock_word, 0, __ATOMIC_RELEASE); }

static uint64_t nanoseconds(clockid_t clock) {
    struct timespec now;
    clock_gettime(clock, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

int64_t lz_next_countdown(void) {
    if (random_state == 0) random_state = nanoseconds(CLOCK_MONOTONIC) ^ (uint64_t)(uintptr_t)&random_state;
    /* xorshift64*: quality far beyond what a sampling interval needs, and no lock. */
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    double uniform = (double)((random_state * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
    double draw = -log(1.0 - uniform) * mean_bytes;
    return (int64_t)draw + 1;
}

static uint32_t live_home(const void *pointer) {
    uint64_t bits = (uint64_t)(uintptr_t)pointer >> 4;
    return (uint32_t)((bits * 0xC2B2AE3D27D4EB4FULL) >> (64 - LIVE_BITS));
}

/* The entry for this stack, claimed if new; NULL when the table is full. Under the lock. */
static lazysoak_stack_entry *stack_entry(void **frames, int depth, uint32_t *index) {
    uint64_t hash = 1469598103934665603ULL;
    for (int i = 0; i < depth; i++) hash = (hash ^ (uint64_t)(uintptr_t)frames[i]) * 1099511628211ULL;
    hash |= 1;
    for (uint32_t probe = 0; probe < LAZYSOAK_STACKS_CAPACITY; probe++) {
        uint32_t slot = (uint32_t)(hash + probe) & (LAZYSOAK_STACKS_CAPACITY - 1);
        lazysoak_stack_entry *entry = &table->entries[slot];
        if (entry->hash == 0) {
            entry->depth = (uint32_t)depth;
            for (int i = 0; i < depth; i++) entry->frames[i] = (uint64_t)(uintptr_t)frames[i];
            __atomic_store_n(&entry->hash, hash, __ATOMIC_RELEASE);
            __atomic_store_n(&table->stacks_used, table->stacks_used + 1, __ATOMIC_RELAXED);
            *index = slot;
            return entry;
        }
        if (entry->hash == hash && entry->depth == (uint32_t)depth
            && memcmp(entry->frames, frames, sizeof(uint64_t) * (size_t)depth) == 0) {
            *index = slot;
            return entry;
        }
    }
    return NULL;
}

static void add(uint64_t *word, uint64_t amount) { __atomic_store_n(word, *word + amount, __ATOMIC_RELAXED); }
static void subtract(uint64_t *word, uint64_t amount) {
    __atomic_store_n(word, *word >= amount ? *word - amount : 0, __ATOMIC_RELAXED);
}

#define TIMED_EVERY 1024
/* What two back-to-back reads of the thread's CPU clock measure: the clock's own cost. */
static uint64_t clock_floor;

/* The address ranges of this library and of libSoakHeapPreload.so: the leading frames of a
 * sampled stack that fall in them are the hooks', not the target's. */
static uintptr_t own_start, own_end, preload_start, preload_end;

static int hook_frame(void *frame) {
    uintptr_t address = (uintptr_t)frame;
    return (address >= own_start && address < own_end) || (address >= preload_start && address < preload_end);
}

__attribute__((noinline)) void lz_record(void *pointer, size_t size) {
    if (in_sampler || !table) return;
    in_sampler = 1;
    /* Reading a thread's CPU clock is a system call, far dearer than the unwinding itself (1 to
     * 10 µs a read on this virtual machine, against about 300 instructions to unwind): only one
     * sample in 1024 is timed, the clock's own cost is taken off, and the total is scaled up. */
    static __thread uint32_t timed __attribute__((tls_model("initial-exec")));
    /* Not a thread's first sample, which also finds the thread's stack (pthread_getattr_np) and
     * the rules of new code: that is once, not a sample's cost. */
    int timing = (++timed & (TIMED_EVERY - 1)) == 0;
    uint64_t started = timing ? nanoseconds(CLOCK_THREAD_CPUTIME_ID) : 0;
    lz_unwind_prepare_thread();
    void *frames[LAZYSOAK_STACKS_DEPTH + 8];
    int capacity = LAZYSOAK_STACKS_DEPTH + 8;
    lock();
    int count = lz_unwind(frames, capacity);
    int fell_back = count < 0;
    if (fell_back) {
        /* Outside the lock: backtrace() may allocate (and so free) on its first use. */
        unlock();
        count = backtrace(frames, capacity);
        lock();
    }
    int first = 0;
    while (first < count && hook_frame(frames[first])) first++;
    int depth = count - first;
    if (depth > LAZYSOAK_STACKS_DEPTH) depth = LAZYSOAK_STACKS_DEPTH;
    /* Sampled with probability 1 - exp(-size/mean): each sample stands for 1/p allocations. */
    double weight = 1.0 / -expm1(-(double)size / mean_bytes);
    uint64_t bytes = (uint64_t)((double)size * weight + 0.5);
    uint64_t count_milli = (uint64_t)(1000.0 * weight + 0.5);
    uint64_t spent = 0;
    if (timing) {
        uint64_t elapsed = nanoseconds(CLOCK_THREAD_CPUTIME_ID) - started;
        spent = (elapsed > clock_floor ? elapsed - clock_floor : 0) * TIMED_EVERY;
    }
    add(&table->unwind_nanoseconds, spent);
    add(&table->sampled, 1);
    if (fell_back) add(&table->unwound_by_backtrace, 1);
    uint32_t index = 0;
    lazysoak_stack_entry *entry = stack_entry(frames + first, depth, &index);
    uint32_t home = live_home(pointer);
    uint32_t probe = 0;
    while (probe < LIVE_CAPACITY && live[(home + probe) & (LIVE_CAPACITY - 1)].pointer) probe++;
    if (!entry) {
        add(&table->dropped_stacks, 1);
    } else if (probe == LIVE_CAPACITY) {
        add(&table->dropped_live, 1);
    } else {
        live_slot *slot = &live[(home + probe) & (LIVE_CAPACITY - 1)];
        *slot = (live_slot){ pointer, index, 0, bytes, count_milli };
        add(&entry->live_bytes, bytes);
        add(&entry->live_count_milli, count_milli);
        add(&entry->samples, 1);
        add(&table->live_sampled, 1);
        uint32_t bucket = lz_filter_index(pointer);
        if (__atomic_add_fetch(&lz_filter[bucket], 1, __ATOMIC_RELAXED) == 1) {
            __atomic_or_fetch(&lz_filter_bits[bucket >> 6], 1ULL << (bucket & 63), __ATOMIC_RELEASE);
        }
        __atomic_add_fetch(&lz_live, 1, __ATOMIC_RELEASE);
    }
    unlock();
    in_sampler = 0;
}

void lz_forget(void *pointer) {
    if (!live || !__atomic_load_n(&lz_enabled, __ATOMIC_RELAXED)) return;
    lock();
    uint32_t mask = LIVE_CAPACITY - 1, hole = live_home(pointer), probe = 0;
    while (probe < LIVE_CAPACITY && live[hole].pointer && live[hole].pointer != pointer) {
        hole = (hole + 1) & mask;
        probe++;
    }
    if (probe < LIVE_CAPACITY && live[hole].pointer == pointer) {
        lazysoak_stack_entry *entry = &table->entries[live[hole].stack];
        subtract(&entry->live_bytes, live[hole].bytes);
        subtract(&entry->live_count_milli, live[hole].count_milli);
        subtract(&table->live_sampled, 1);
        uint32_t bucket = lz_filter_index(pointer);
        if (__atomic_sub_fetch(&lz_filter[bucket], 1, __ATOMIC_RELAXED) == 0) {
            __atomic_and_fetch(&lz_filter_bits[bucket >> 6], ~(1ULL << (bucket & 63)), __ATOMIC_RELEASE);
        }
        __atomic_sub_fetch(&lz_live, 1, __ATOMIC_RELEASE);
        /* Backward shift: move later entries of the run into the hole when their home allows,
         * so a lookup can still stop at the first empty slot. */
        uint32_t next = (hole + 1) & mask;
        while (live[next].pointer) {
            uint32_t home = live_home(live[next].pointer);
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                live[hole] = live[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        live[hole].pointer = NULL;
    }
    unlock();
}

static void before_fork(void) { lock(); }
static void after_fork_in_parent(void) { unlock(); }
/* A child forked without exec shares the table's file with its parent: it must not write it. */
static void after_fork_in_child(void) {
    __atomic_store_n(&lz_enabled, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&lz_live, 0, __ATOMIC_RELAXED);
    unlock();
}

#if !LZ_HAVE_DL_FIND_OBJECT
typedef struct {
    uintptr_t address, start, end;
} range_search;

static int find_range(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size;
    range_search *search = context;
    uintptr_t start = UINTPTR_MAX, end = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type != PT_LOAD) continue;
        uintptr_t low = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
        if (low < start) start = low;
        if (low + info->dlpi_phdr[i].p_memsz > end) end = low + info->dlpi_phdr[i].p_memsz;
    }
    if (search->address < start || search->address >= end) return 0;
    search->start = start;
    search->end = end;
    return 1;
}
#endif

/* The addresses of the object that holds `address`. */
static void object_range(void *address, uintptr_t *start, uintptr_t *end) {
#if LZ_HAVE_DL_FIND_OBJECT
    struct dl_find_object object;
    if (_dl_find_object(address, &object) == 0) {
        *start = (uintptr_t)object.dlfo_map_start;
        *end = (uintptr_t)object.dlfo_map_end;
    }
#else
    range_search search = { (uintptr_t)address, 0, 0 };
    if (dl_iterate_phdr(find_range, &search)) {
        *start = search.start;
        *end = search.end;
    }
#endif
}

__attribute__((constructor)) static void start_sampling(void) {
    const char *directory = getenv("LAZYSOAK_HEAP_DIR");
    if (!directory || !*directory) return;
    const char *mean = getenv("LAZYSOAK_HEAP_SAMPLE_BYTES");
    if (mean && strtod(mean, NULL) >= 1) mean_bytes = strtod(mean, NULL);
    char path[4096], temporary[4120];
    if (snprintf(path, sizeof path, "%s/stacks.%ld", directory, (long)getpid()) >= (int)sizeof path) return;
    snprintf(temporary, sizeof temporary, "%s.new", path);
    int fd = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return;
    void *shared = MAP_FAILED;
    if (ftruncate(fd, sizeof(lazysoak_stack_table)) == 0) {
        shared = mmap(NULL, sizeof(lazysoak_stack_table), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    }
    close(fd);
    void *slots = mmap(NULL, sizeof(live_slot) * LIVE_CAPACITY, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED || slots == MAP_FAILED) {
        unlink(temporary);
        return;
    }
    table = shared;
    live = slots;
    table->version = LAZYSOAK_STACKS_VERSION;
    table->pid = (uint32_t)getpid();
    table->sample_bytes = (uint64_t)mean_bytes;
    table->capacity = LAZYSOAK_STACKS_CAPACITY;
    table->depth = LAZYSOAK_STACKS_DEPTH;
    /* backtrace(), the unwinder's fallback, loads libgcc_s on first use; do it now rather than
     * inside a sample. */
    void *warm[2];
    backtrace(warm, 2);
    object_range((void *)lz_record, &own_start, &own_end);
    void *preload = dlsym(RTLD_DEFAULT, "lazysoak_heap_preload_version");
    if (preload) object_range(preload, &preload_start, &preload_end);
    clock_floor = UINT64_MAX;
    for (int i = 0; i < 8; i++) {
        uint64_t first = nanoseconds(CLOCK_THREAD_CPUTIME_ID);
        uint64_t between = nanoseconds(CLOCK_THREAD_CPUTIME_ID) - first;
        if (between < clock_floor) clock_floor = between;
    }
    pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
    __atomic_store_n(&table->magic, LAZYSOAK_STACKS_MAGIC, __ATOMIC_RELEASE);
    if (rename(temporary, path) != 0) unlink(temporary);
    __atomic_store_n(&lz_enabled, 1, __ATOMIC_RELEASE);
}
