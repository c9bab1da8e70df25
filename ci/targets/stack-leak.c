/*
 * An acceptance target for allocation stacks: a tiny HTTP server on 127.0.0.1 whose every request
 * runs one cycle of work from two functions of its own.
 *
 *   stack-leak --port P [--leak-bytes B] [--sawtooth-mib M]
 *
 * build_sawtooth() mallocs M MiB (default 4) in 4 KiB blocks, touches them and frees them all
 * before the reply: a large, short-lived sawtooth. remember_session() mallocs B bytes (default 0)
 * and keeps them in a list that is never pruned: the leak. The sampler should name
 * remember_session as the growing stack and leave build_sawtooth out, without debug info (build
 * with -O2 and no -g). Prints "ready" once listening; exits on SIGTERM.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct session { struct session *next; char data[]; };
static struct session *sessions;
static volatile sig_atomic_t stopping;

static void on_term(int signo) { (void)signo; stopping = 1; }

__attribute__((noinline)) void build_sawtooth(size_t bytes) {
    size_t count = bytes / 4096;
    char **blocks = calloc(count, sizeof *blocks);
    if (!blocks) return;
    for (size_t i = 0; i < count; i++) {
        blocks[i] = malloc(4096);
        if (blocks[i]) memset(blocks[i], (int)i, 4096);
    }
    for (size_t i = 0; i < count; i++) free(blocks[i]);
    free(blocks);
}

__attribute__((noinline)) void remember_session(size_t bytes) {
    if (bytes < sizeof(struct session)) return;
    struct session *session = malloc(bytes); /* kept on purpose: the leak */
    if (!session) return;
    memset(session->data, 0x5a, bytes - sizeof *session);
    session->next = sessions;
    sessions = session;
}

int main(int argc, char **argv) {
    int port = 0;
    long leak = 0;
    double mib = 4;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--leak-bytes")) leak = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--sawtooth-mib")) mib = atof(argv[i + 1]);
        else {
            fprintf(stderr, "stack-leak: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (port <= 0 || port > 65535 || leak < 0 || mib < 0) {
        fprintf(stderr, "stack-leak: --port 1..65535 is required; sizes must not be negative\n");
        return 2;
    }
    struct sigaction action = { .sa_handler = on_term };
    sigaction(SIGTERM, &action, NULL); /* no SA_RESTART: accept returns EINTR and the loop ends */
    signal(SIGPIPE, SIG_IGN);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 16) != 0) {
        perror("stack-leak: listen");
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n";
    while (!stopping) {
        int client = accept(listener, NULL, NULL);
        if (client < 0) continue;
        char request[4096];
        size_t used = 0;
        ssize_t got;
        while (used < sizeof request - 1 && (got = read(client, request + used, sizeof request - 1 - used)) > 0) {
            used += (size_t)got;
            request[used] = 0;
            if (strstr(request, "\r\n\r\n")) break;
        }
        build_sawtooth((size_t)(mib * 1048576));
        remember_session((size_t)leak);
        (void)!write(client, reply, sizeof reply - 1);
        close(client);
    }
    return 0;
}
