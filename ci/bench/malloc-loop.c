/*
 * A malloc-heavy loop for measuring what libSoakHeapPreload.so costs a target:
 *
 *   malloc-loop [SECONDS_OF_WORK_IN_MILLIONS_OF_OPERATIONS]
 *
 * Keeps 20,000 live blocks of 16 B to 4 KiB and replaces one at random per operation (a free and
 * a malloc), so glibc's free lists stay long and mallinfo2 has real work when the page refreshes.
 * Prints the CPU time of the loop in seconds. Run it bare and with LD_PRELOAD (ci/preload-cost.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIVE 20000

int main(int argc, char **argv) {
    long millions = argc > 1 ? atol(argv[1]) : 20;
    static void *blocks[LIVE];
    uint64_t state = 88172645463325252ull;
    struct timespec start, end;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
    for (long i = 0; i < millions * 1000000; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        size_t slot = state % LIVE;
        size_t size = 16 + (state >> 32) % 4080;
        free(blocks[slot]);
        blocks[slot] = malloc(size);
        ((char *)blocks[slot])[0] = (char)i;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end);
    printf("%.3f\n", (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
