/*
 * Asks every heap page in a folder for fresh counters HZ times a second, as the harness does at
 * each sample, for measuring the preload library's cost under a sampling harness:
 *
 *   heap-page-poke DIR HZ SECONDS
 */
#include "../../Sources/CHeapPage/include/CHeapPage.h"

#include <dirent.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stopping = 0;

static void on_term(int signo) { (void)signo; stopping = 1; }

int main(int argc, char **argv) {
    signal(SIGTERM, on_term);
    if (argc < 4) return 2;
    double hz = atof(argv[2]), seconds = atof(argv[3]);
    lazysoak_heap_page *page = NULL;
    for (int tries = 0; !page && tries < 1000; tries++) {
        DIR *dir = opendir(argv[1]);
        struct dirent *entry;
        while (dir && (entry = readdir(dir))) {
            if (strncmp(entry->d_name, "heap.", 5) || strstr(entry->d_name, ".new")) continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[1], entry->d_name);
            int fd = open(path, O_RDWR);
            if (fd < 0) continue;
            void *mapping = mmap(NULL, LAZYSOAK_HEAP_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            close(fd);
            if (mapping != MAP_FAILED) page = mapping;
        }
        if (dir) closedir(dir);
        if (!page) usleep(1000);
    }
    if (!page) return 1;
    long answered = 0, rounds = (long)(hz * seconds);
    struct timespec gap = { (time_t)(1 / hz), (long)((1 / hz - (time_t)(1 / hz)) * 1e9) };
    for (long i = 0; i < rounds && !stopping; i++) {
        uint32_t request = lazysoak_add_u32(&page->request, 1);
        lazysoak_futex_wake(&page->request);
        while (lazysoak_load_u32(&page->answered) != request) {
            if (lazysoak_futex_wait(&page->answered, lazysoak_load_u32(&page->answered), 20000000) != 0) break;
        }
        if (lazysoak_load_u32(&page->answered) == request) answered++;
        nanosleep(&gap, NULL);
    }
    printf("answered %ld refreshes %llu mallinfo2 %.1f ms\n", answered,
           (unsigned long long)page->refreshes, page->refresh_nanoseconds / 1e6);
    return 0;
}
