/*
 * A control for ci/preload-cost.sh: a preload library that only starts one thread that sleeps
 * forever. glibc's malloc takes its arena locks only once a process has a second thread, so this
 * shows what any in-process helper thread costs a single-threaded malloc-heavy program, apart
 * from anything libSoakHeapPreload.so does.
 */
#include <pthread.h>
#include <unistd.h>

static void *sleeper(void *unused) {
    (void)unused;
    for (;;) pause();
    return NULL;
}

__attribute__((constructor)) static void start(void) {
    pthread_t thread;
    if (pthread_create(&thread, NULL, sleeper, NULL) == 0) pthread_detach(thread);
}
