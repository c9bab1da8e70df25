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

/// Sets the nice value of the calling thread only (Linux keeps one per thread); 0 on success.
/// Swift cannot call syscall(SYS_gettid), which is variadic.
int lazysoak_set_thread_nice(int nice);

/// pipe2(O_CLOEXEC), which Glibc's Swift module does not expose.
int lazysoak_pipe_cloexec(int fds[2]);

/// epoll(7) for the HTTP server's event loop, which Glibc's Swift module does not expose.
/// `events` and `token` are the epoll_event fields (the token is the data union's u64).
int lazysoak_epoll_create(void);
int lazysoak_epoll_control(int epoll_fd, int operation, int fd, unsigned int events, unsigned long long token);
/// Waits up to `timeout_ms` (-1: no limit); fills `events[i]` and `tokens[i]` for each ready one.
int lazysoak_epoll_wait(int epoll_fd, unsigned int *events, unsigned long long *tokens, int capacity, int timeout_ms);
/// The EPOLL* constants, which Swift cannot import from their enum.
enum {
    LAZYSOAK_EPOLL_IN = 0x001, LAZYSOAK_EPOLL_OUT = 0x004, LAZYSOAK_EPOLL_ERR = 0x008,
    LAZYSOAK_EPOLL_HUP = 0x010, LAZYSOAK_EPOLL_RDHUP = 0x2000,
    LAZYSOAK_EPOLL_ADD = 1, LAZYSOAK_EPOLL_DEL = 2, LAZYSOAK_EPOLL_MOD = 3,
};

/// eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK): a doorbell other threads ring for an event loop.
int lazysoak_eventfd(void);

/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC: one call instead of accept and two fcntl pairs.
int lazysoak_accept_nonblocking(int listen_fd);

/// Whether child `pid` has ended, without reaping it (waitid with WNOWAIT): 1 with a waitpid-style
/// status in *status, 0 while it runs, -1 with errno set. The unreaped child keeps its pid, so its
/// process group id cannot pass to a new process while the caller still signals the group.
int lazysoak_peek_exit(pid_t pid, int *status);

/// How `lazysoak_spawn` sets up the child.
typedef struct {
    int stdin_fd;        /* -1: /dev/null */
    int stdout_fd;       /* -1: /dev/null */
    int stderr_fd;       /* -1: /dev/null */
    int new_process_group;
    int new_session;     /* a session of its own (setsid), which is also a process group */
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
