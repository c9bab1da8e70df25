#ifndef LAZYSOAK_CHEAPSTACKTABLE_H
#define LAZYSOAK_CHEAPSTACKTABLE_H

/*
 * The stack table: a file `$LAZYSOAK_HEAP_DIR/stacks.<pid>` that libSoakHeapStacks.so, preloaded
 * into a target, shares with the harness. The library samples allocations by bytes (a Poisson
 * process with a mean of `sample_bytes` between samples), unwinds each sampled allocation's
 * stack, and keeps per stack the live bytes and live count of its sampled allocations, each
 * scaled by the inverse of its probability of being sampled; a free of a sampled allocation takes
 * its share back. The harness reads the entries in place at each trough sample: no signal, no
 * lock, no pause of the target.
 *
 * An entry is published by storing its `hash` last (release); until then the harness skips it.
 * Its counters are single aligned 64-bit words, each read atomically; a reading may mix two
 * moments of different entries, never two halves of one word.
 */

#include <stdint.h>

#define LAZYSOAK_STACKS_MAGIC 0x534b4341545a4c53ULL /* "SLZTACKS" read little-endian */
#define LAZYSOAK_STACKS_VERSION 1
#define LAZYSOAK_STACKS_CAPACITY 4096 /* distinct stacks; more are counted in `dropped_stacks` */
#define LAZYSOAK_STACKS_DEPTH 24      /* frames kept per stack, innermost first */

typedef struct {
    uint64_t hash;             /* 0: unused; nonzero once the entry is complete */
    uint64_t live_bytes;       /* scaled estimate of the bytes its live allocations hold */
    uint64_t live_count_milli; /* scaled estimate of its live allocations, times 1000 */
    uint64_t samples;          /* sampled allocations ever recorded with this stack */
    uint32_t depth;            /* frames used */
    uint32_t reserved;
    uint64_t frames[LAZYSOAK_STACKS_DEPTH]; /* return addresses */
} lazysoak_stack_entry;

typedef struct {
    uint64_t magic;
    uint32_t version;
    uint32_t pid;
    uint64_t sample_bytes;     /* mean bytes between samples */
    uint32_t capacity;         /* LAZYSOAK_STACKS_CAPACITY */
    uint32_t depth;            /* LAZYSOAK_STACKS_DEPTH */
    uint64_t stacks_used;      /* entries published */
    uint64_t sampled;          /* allocations sampled */
    uint64_t live_sampled;     /* sampled allocations not yet freed */
    uint64_t dropped_stacks;   /* samples lost because the stack table was full */
    uint64_t dropped_live;     /* samples lost because the live-allocation table was full */
    uint64_t unwind_nanoseconds; /* CPU time spent on samples, in total (one in 1024 timed, scaled) */
    uint64_t unwound_by_backtrace; /* samples whose stack needed backtrace(): frames beyond the fast unwinder */
    uint64_t reserved[5];
    lazysoak_stack_entry entries[LAZYSOAK_STACKS_CAPACITY];
} lazysoak_stack_table;

#endif
