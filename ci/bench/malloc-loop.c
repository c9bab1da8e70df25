/*
 * A malloc-heavy loop for measuring what libSoakHeapPreload.so costs a target:
 *
 *   malloc-loop [MILLIONS_OF_OPERATIONS [LARGEST_BLOCK_BYTES]]
 *
 * Keeps 20,000 live blocks of 16 B to 4 KiB (or to LARGEST_BLOCK_BYTES) and replaces one at random
 * per operation (a free and a malloc), so glibc's free lists stay long and mallinfo2 has real work
 * when the page refreshes. The millions may have a fraction (0.2), for slow tools such as valgrind.
 * Prints the CPU time of the loop in seconds. Run it bare and with LD_PRELOAD (ci/preload-cost.sh).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LIVE 20000

int main(int argc, char **argv) {
    double millions = argc > 1 ? atof(argv[1]) : 20;
    long largest = argc > 2 ? atol(argv[2]) : 4096;
    if (largest <= 16) largest = 17;
    static void *blocks[LIVE];
    uint64_t state = 88172645463325252ull;
    struct timespec start, end;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
    long operations = (long)(millions * 1000000);
    for (long i = 0; i < operations; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        size_t slot = state % LIVE;
        size_t size = 16 + (state >> 32) % (uint64_t)(largest - 16);
        free(blocks[slot]);
        blocks[slot] = malloc(size);
        ((char *)blocks[slot])[0] = (char)i;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end);
    printf("%.3f\n", (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
