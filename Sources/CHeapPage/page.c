#include "CHeapPage.h"

#include <errno.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int lazysoak_futex_wake(uint32_t *address) {
    /* Not FUTEX_PRIVATE_FLAG: the word is in a mapping shared with another process. */
    return (int)syscall(SYS_futex, address, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0);
}

int lazysoak_futex_wait(uint32_t *address, uint32_t expected, int64_t timeout_ns) {
    struct timespec timeout, *bound = NULL;
    if (timeout_ns >= 0) {
        timeout.tv_sec = (time_t)(timeout_ns / 1000000000);
        timeout.tv_nsec = (long)(timeout_ns % 1000000000);
        bound = &timeout;
    }
    long result = syscall(SYS_futex, address, FUTEX_WAIT, expected, bound, NULL, 0);
    if (result == 0 || errno == EAGAIN) return 0;
    return -1;
}

uint32_t lazysoak_load_u32(const uint32_t *address) { return __atomic_load_n(address, __ATOMIC_ACQUIRE); }
void lazysoak_store_u32(uint32_t *address, uint32_t value) { __atomic_store_n(address, value, __ATOMIC_RELEASE); }
uint32_t lazysoak_add_u32(uint32_t *address, uint32_t value) {
    return __atomic_add_fetch(address, value, __ATOMIC_ACQ_REL);
}
uint64_t lazysoak_load_u64(const uint64_t *address) { return __atomic_load_n(address, __ATOMIC_ACQUIRE); }

bool lazysoak_heap_page_read(const lazysoak_heap_page *page, lazysoak_heap_page *copy) {
    for (int attempt = 0; attempt < 1000; attempt++) {
        uint64_t before = __atomic_load_n(&page->sequence, __ATOMIC_ACQUIRE);
        if (before & 1) continue;
        memcpy(copy, (const void *)page, sizeof *copy);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&page->sequence, __ATOMIC_RELAXED) == before) {
            copy->sequence = before;
            return true;
        }
    }
    return false;
}
