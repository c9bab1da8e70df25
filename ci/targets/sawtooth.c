/*
 * A generic soak target for judging `soak` itself: a process whose memory rises and falls in a
 * large sawtooth every cycle, and that may also keep a few bytes per cycle (a leak) or fill a
 * cache for a while and then stay flat (no leak).
 *
 *   sawtooth [--time-scale N] [--interval S] [--sawtooth-mib M] [--leak-bytes B]
 *            [--cache-mib C --cache-cycles K]
 *
 * A cycle lasts S simulated seconds (default 180, the seeds' 3 minutes), divided by N. In each
 * cycle it maps M MiB (default 16), touches every page, holds them for a fifth of the cycle and
 * unmaps them; keeps B bytes that are never freed; and, during its first K cycles, adds C/K MiB
 * to a cache that is kept for good. It prints "ready" once started and exits on SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static volatile sig_atomic_t stopping = 0;

static void on_term(int signo) { (void)signo; stopping = 1; }

static void sleep_seconds(double seconds) {
    struct timespec ts = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };
    while (!stopping && nanosleep(&ts, &ts) != 0) {}
}

static void *touched(size_t bytes) {
    char *block = malloc(bytes);
    if (block) memset(block, 0x5a, bytes);
    return block;
}

int main(int argc, char **argv) {
    double scale = 1, interval = 180, sawtooth_mib = 16, cache_mib = 0;
    long leak_bytes = 0, cache_cycles = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--time-scale")) scale = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--interval")) interval = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--sawtooth-mib")) sawtooth_mib = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--leak-bytes")) leak_bytes = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--cache-mib")) cache_mib = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--cache-cycles")) cache_cycles = atol(argv[i + 1]);
        else {
            fprintf(stderr, "sawtooth: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (scale <= 0 || interval <= 0 || cache_cycles <= 0) {
        fprintf(stderr, "sawtooth: --time-scale, --interval and --cache-cycles must be positive\n");
        return 2;
    }
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    double cycle = interval / scale;
    size_t sawtooth = (size_t)(sawtooth_mib * 1048576);
    size_t cache_step = (size_t)(cache_mib * 1048576 / cache_cycles);
    printf("ready\n");
    fflush(stdout);
    for (long n = 0; !stopping; n++) {
        /* mmap, not malloc: glibc's adaptive mmap threshold would soon serve 16 MiB from the heap
         * and keep it, and the sawtooth would flatten into a plateau. */
        char *peak = mmap(NULL, sawtooth, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (peak != MAP_FAILED) memset(peak, 0x5a, sawtooth);
        sleep_seconds(cycle / 5);
        if (peak != MAP_FAILED) munmap(peak, sawtooth);
        if (leak_bytes > 0) (void)touched((size_t)leak_bytes); /* kept on purpose: the leak */
        if (cache_step > 0 && n < cache_cycles) (void)touched(cache_step); /* the cache, kept */
        sleep_seconds(cycle * 4 / 5);
    }
    return 0;
}
