/*
 * proc-floor: the floor for sampling one process from /proc, in plain C.
 *
 * Reads /proc/PID/status and /proc/PID/stat N times with open/read/close (what a careful
 * C sampler does) and prints the CPU and wall time per sample. With --full it also reads
 * /proc/PID/smaps_rollup and counts /proc/PID/fd with opendir/readdir, the full set the
 * soak harness samples. The Swift sampler (SamplerBenchmark) is judged against these numbers:
 * RSS+CPU within 1.5x of the two-file floor.
 *
 * Build: cc -O2 -o proc-floor ci/bench/proc-floor.c
 * Usage: proc-floor [--full] [PID] [SAMPLES]     (PID defaults to this process, SAMPLES to 100000)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* One open/read/close; returns bytes read so the compiler cannot drop the work. */
static long read_whole(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    long total = 0;
    ssize_t n;
    while ((n = read(fd, buf, size)) > 0) total += n;
    close(fd);
    return total;
}

static long count_fds(const char *path) {
    DIR *dir = opendir(path);
    if (!dir) return -1;
    long count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] != '.') count++;
    }
    closedir(dir);
    return count;
}

int main(int argc, char **argv) {
    int full = 0;
    int arg = 1;
    if (arg < argc && strcmp(argv[arg], "--full") == 0) { full = 1; arg++; }
    long pid = arg < argc ? atol(argv[arg++]) : (long)getpid();
    long samples = arg < argc ? atol(argv[arg++]) : 100000;
    if (pid <= 0 || samples <= 0) {
        fprintf(stderr, "usage: %s [--full] [PID] [SAMPLES]\n", argv[0]);
        return 2;
    }

    char status[64], stat[64], smaps[64], fds[64];
    snprintf(status, sizeof status, "/proc/%ld/status", pid);
    snprintf(stat, sizeof stat, "/proc/%ld/stat", pid);
    snprintf(smaps, sizeof smaps, "/proc/%ld/smaps_rollup", pid);
    snprintf(fds, sizeof fds, "/proc/%ld/fd", pid);

    static char buf[16384];
    long sink = 0;
    double cpu0 = now(CLOCK_PROCESS_CPUTIME_ID), wall0 = now(CLOCK_MONOTONIC);
    for (long i = 0; i < samples; i++) {
        long a = read_whole(status, buf, sizeof buf);
        long b = read_whole(stat, buf, sizeof buf);
        if (a < 0 || b < 0) { fprintf(stderr, "pid %ld: cannot read /proc\n", pid); return 1; }
        sink += a + b;
        if (full) sink += read_whole(smaps, buf, sizeof buf) + count_fds(fds);
    }
    double cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu0, wall = now(CLOCK_MONOTONIC) - wall0;
    printf("mode=%s pid=%ld samples=%ld cpu_us_per_sample=%.2f wall_us_per_sample=%.2f bytes=%ld\n",
           full ? "full" : "rss+cpu", pid, samples, cpu / samples, wall / samples, sink / samples);
    return 0;
}
