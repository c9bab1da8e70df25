#ifndef LAZYSOAK_CHEAPHOOKS_H
#define LAZYSOAK_CHEAPHOOKS_H

/*
 * What libSoakHeapPreload.so (the heap page) lends libSoakHeapStacks.so (the sampler) so that one
 * layer of allocation functions serves both. Preloaded ahead of the page library, the sampler's
 * malloc, calloc and realloc are the ones the process calls, and they call glibc's directly: the
 * page's own wrappers never run. So the sampler makes the page's check itself (has the harness
 * asked since the last answer?) on the same words, and calls the page's answer when it has.
 * Internal to the two libraries; the harness never uses it.
 */

#include <stdint.h>

typedef struct {
    /* The word the harness bumps to ask (the page's `request`), or `served` itself while there is
     * no page (before the page library's constructor, in a forked child), so equal means "not
     * asked" with no test of its own. */
    const uint32_t *watched;
    /* The last request answered. */
    uint32_t served;
} lazysoak_heap_watch;

/* The page library's watch, which its answers update. */
lazysoak_heap_watch *lazysoak_heap_page_watch(void);
/* Answers the harness's latest request: refreshes the page's counters (within their CPU budget)
 * and wakes the harness. Called from inside an allocation function, outside glibc's locks. */
void lazysoak_heap_page_answer(void);

#endif
