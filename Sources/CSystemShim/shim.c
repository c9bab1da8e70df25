#define _GNU_SOURCE
#include "CSystemShim.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

lazysoak_heap_info lazysoak_heap_info_read(void) {
    lazysoak_heap_info info = {0, 0, 0, 0, 0};
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 m = mallinfo2();
    info.arena = m.arena;
    info.mmapped = m.hblkhd;
    info.in_use = m.uordblks;
    info.free = m.fordblks;
    info.keep_cost = m.keepcost;
#endif
    return info;
}

int lazysoak_malloc_trim(size_t pad) {
    return malloc_trim(pad);
}

int lazysoak_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0, 0, 0);
}

int lazysoak_set_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}

int lazysoak_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int lazysoak_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int lazysoak_epoll_control(int epoll_fd, int operation, int fd, unsigned int events, unsigned long long token) {
    struct epoll_event event = {.events = events, .data.u64 = token};
    return epoll_ctl(epoll_fd, operation, fd, &event);
}

int lazysoak_epoll_wait(int epoll_fd, unsigned int *events, unsigned long long *tokens, int capacity, int timeout_ms) {
    struct epoll_event ready[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epoll_fd, ready, capacity, timeout_ms);
    for (int i = 0; i < count; i++) {
        events[i] = ready[i].events;
        tokens[i] = ready[i].data.u64;
    }
    return count;
}

int lazysoak_eventfd(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

int lazysoak_accept_nonblocking(int listen_fd) {
    return accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/* Only async-signal-safe calls between fork and exec: the parent may be multi-threaded. */
static void child_fail(int report_fd) {
    int err = errno;
    ssize_t ignored = write(report_fd, &err, sizeof err);
    (void)ignored;
    _exit(127);
}

static int redirect(int fd, int target, int flags) {
    if (fd < 0) {
        fd = open("/dev/null", flags);
        if (fd < 0) return -1;
    }
    if (fd == target) {
        /* dup2 onto itself keeps close-on-exec; clear it explicitly. */
        return fcntl(fd, F_SETFD, 0);
    }
    return dup2(fd, target) < 0 ? -1 : 0;
}

/* In a forked child before exec: no blocked signals, every disposition back to its default. */
static void child_reset_signals(void) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) signal(sig, SIG_DFL);
    }
}

/* In a forked child before exec: descriptors above stderr belong to the harness, so all of them
   become close-on-exec (close_range where the kernel has it, a bounded sweep otherwise). */
static void child_mark_descriptors_cloexec(void) {
#ifdef CLOSE_RANGE_CLOEXEC
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
#endif
    for (int fd = 3; fd < 4096; fd++) {
        int flags = fcntl(fd, F_GETFD);
        if (flags >= 0) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
}

int lazysoak_peek_exit(pid_t pid, int *status) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0) return -1;
    if (info.si_pid == 0) return 0; /* still running */
    switch (info.si_code) {
    case CLD_EXITED: *status = (info.si_status & 0xff) << 8; return 1;
    case CLD_KILLED: *status = info.si_status & 0x7f; return 1;
    case CLD_DUMPED: *status = (info.si_status & 0x7f) | 0x80; return 1;
    default: return 0; /* stopped or continued: not an end */
    }
}

pid_t lazysoak_spawn(const char *path, char *const argv[], char *const envp[],
                     const lazysoak_spawn_options *options) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -1;
    pid_t parent = getpid();

    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        close(report[0]);
        close(report[1]);
        errno = err;
        return -1;
    }
    if (pid == 0) {
        if (options->new_session) {
            if (setsid() < 0) child_fail(report[1]);
        } else if (options->new_process_group && setpgid(0, 0) != 0) {
            child_fail(report[1]);
        }
        if (options->parent_death_signal != 0) {
            if (prctl(PR_SET_PDEATHSIG, (unsigned long)options->parent_death_signal, 0, 0, 0) != 0)
                child_fail(report[1]);
            /* The parent may have died before prctl took effect. */
            if (getppid() != parent) _exit(127);
        }
        /* Signals the parent ignores or blocks must not leak into the target. */
        child_reset_signals();
        if (redirect(options->stdin_fd, 0, O_RDONLY) != 0) child_fail(report[1]);
        if (redirect(options->stdout_fd, 1, O_WRONLY) != 0) child_fail(report[1]);
        if (redirect(options->stderr_fd, 2, O_WRONLY) != 0) child_fail(report[1]);
        if (options->working_directory != NULL && chdir(options->working_directory) != 0)
            child_fail(report[1]);
        /* Descriptors above stderr stay with the harness: mark them all close-on-exec
           (the report pipe already is, so exec success closes it and the parent reads EOF). */
        child_mark_descriptors_cloexec();
        execve(path, argv, envp);
        child_fail(report[1]);
    }

    close(report[1]);
    int child_errno = 0;
    ssize_t n;
    do {
        n = read(report[0], &child_errno, sizeof child_errno);
    } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof child_errno) {
        /* exec failed: reap the child and report its errno. */
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        errno = child_errno;
        return -1;
    }
    return pid;
}

/* Messages on the report pipe of lazysoak_spawn_detached: the program's pid, or an errno. */
enum { DETACHED_PID = 1, DETACHED_ERRNO = 2 };

static void detached_report(int fd, int kind, int value) {
    int message[2] = {kind, value};
    ssize_t ignored = write(fd, message, sizeof message);
    (void)ignored;
}

static void detached_fail(int report_fd) {
    detached_report(report_fd, DETACHED_ERRNO, errno);
    _exit(127);
}

pid_t lazysoak_spawn_detached(const char *path, char *const argv[], char *const envp[], int log_fd) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -1;
    pid_t middle = fork();
    if (middle < 0) {
        int err = errno;
        close(report[0]);
        close(report[1]);
        errno = err;
        return -1;
    }
    if (middle == 0) {
        /* Only async-signal-safe calls from here to exec: the caller may be multi-threaded. */
        if (setsid() < 0) detached_fail(report[1]);
        pid_t pid = fork();
        if (pid < 0) detached_fail(report[1]);
        if (pid > 0) {
            detached_report(report[1], DETACHED_PID, (int)pid);
            _exit(0);
        }
        child_reset_signals();
        /* An ignored disposition survives exec: a hang-up can never end the run. */
        signal(SIGHUP, SIG_IGN);
        if (redirect(-1, 0, O_RDONLY) != 0) detached_fail(report[1]);
        if (redirect(log_fd, 1, O_WRONLY) != 0) detached_fail(report[1]);
        if (redirect(log_fd, 2, O_WRONLY) != 0) detached_fail(report[1]);
        child_mark_descriptors_cloexec();
        execve(path, argv, envp);
        detached_fail(report[1]);
    }

    close(report[1]);
    pid_t program = -1;
    int failure = 0;
    int message[2];
    ssize_t n;
    /* The pipe reaches end of file once the middle process has exited and the program has
       exec'd (the write end is close-on-exec); an errno before that is the failure. */
    for (;;) {
        n = read(report[0], message, sizeof message);
        if (n < 0 && errno == EINTR) continue;
        if (n != (ssize_t)sizeof message) break;
        if (message[0] == DETACHED_PID) program = (pid_t)message[1];
        if (message[0] == DETACHED_ERRNO && failure == 0) failure = message[1];
    }
    close(report[0]);
    int status;
    while (waitpid(middle, &status, 0) < 0 && errno == EINTR) {}
    if (failure != 0 || program <= 0) {
        errno = failure != 0 ? failure : ECHILD;
        return -1;
    }
    return program;
}
