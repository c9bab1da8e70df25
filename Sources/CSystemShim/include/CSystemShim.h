#ifndef LAZYSOAK_CSYSTEMSHIM_H
#define LAZYSOAK_CSYSTEMSHIM_H

#include <stddef.h>
#include <sys/types.h>

/// glibc heap counters (a subset of `struct mallinfo2`), in bytes.
typedef struct {
    size_t arena;     /* bytes obtained from the system with sbrk */
    size_t mmapped;   /* bytes in mmap'd chunks (hblkhd) */
    size_t in_use;    /* bytes in allocated chunks (uordblks) */
    size_t free;      /* bytes in free chunks (fordblks) */
    size_t keep_cost; /* top-most releasable bytes */
} lazysoak_heap_info;

/// Reads glibc's heap counters; all zeros when the libc has no mallinfo2.
lazysoak_heap_info lazysoak_heap_info_read(void);

/// Returns free heap memory to the system; 1 when memory was released.
int lazysoak_malloc_trim(size_t pad);

/// Asks the kernel to send `signal` to this process when the thread that created it exits.
int lazysoak_set_parent_death_signal(int signal);

/// pipe2(O_CLOEXEC), which Glibc's Swift module does not expose.
int lazysoak_pipe_cloexec(int fds[2]);

/// How `lazysoak_spawn` sets up the child.
typedef struct {
    int stdin_fd;        /* -1: /dev/null */
    int stdout_fd;       /* -1: /dev/null */
    int stderr_fd;       /* -1: /dev/null */
    int new_process_group;
    int parent_death_signal; /* 0: none */
    const char *working_directory; /* NULL: inherit */
} lazysoak_spawn_options;

/// fork + exec with the set-up that posix_spawn cannot do (prctl in the child).
/// Returns the child's pid, or -1 with errno set; an exec failure in the child is
/// reported back through a close-on-exec pipe, so the caller sees its errno here.
pid_t lazysoak_spawn(const char *path, char *const argv[], char *const envp[],
                     const lazysoak_spawn_options *options);

/// Starts a program detached from the caller, for `soak run --detach`: in a session of its own
/// (setsid, so no terminal or job control reaches it) and not the caller's child (double fork:
/// the intermediate process exits at once and init adopts the program), with stdin from
/// /dev/null, stdout and stderr on `log_fd`, SIGHUP ignored and every other signal at its default.
/// Returns the program's pid once it has exec'd, or -1 with errno set (an exec failure included).
pid_t lazysoak_spawn_detached(const char *path, char *const argv[], char *const envp[], int log_fd);

#endif
