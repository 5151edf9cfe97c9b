/*
 * fork_echo: the classic BSD sockets tutorial's forking server (its second server program) as a peer of
 * echoack's bench suite: a process per connection, one message per connection.
 *
 *   fork_echo [-a ADDR] -p PORT
 *
 * As in the tutorial: a blocking listening socket, and a loop that accepts a connection and forks; the
 * child reads once (up to 255 bytes, as the tutorial does), answers, closes and exits, while the parent
 * closes its copy of the connection and accepts the next. Three differences, each so that the suite can
 * measure it beside the other peers:
 *   - the child echoes what it read instead of writing "I got your message", so that `echoack bench`
 *     checks every reply byte for byte as it does for every peer (and it prints nothing per message);
 *   - the backlog is SOMAXCONN, not the tutorial's 5, as for the other peers: with 5, concurrent clients
 *     would measure the kernel's SYN retransmission timer, not the server;
 *   - the parent reaps its children with waitpid (the tutorial ignores SIGCHLD, which discards them
 *     unreaped): their CPU time then shows up in the parent's cutime/cstime, where bench/run reads it.
 * ADDR defaults to 127.0.0.1. Prints one "listening on tcp://ADDR:PORT" line on stderr once bound, and
 * exits 0 on SIGTERM or SIGINT (children in flight finish on their own).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_stop(int sig) { (void)sig; stop = 1; }

/* Reaps every finished child; waitpid is async-signal-safe. errno is the interrupted code's. */
static void on_child(int sig) {
    int saved = errno;
    (void)sig;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    errno = saved;
}

/* The child: one read, the same bytes back, close. */
static void serve_one(int fd) {
    char buffer[256];
    ssize_t n = read(fd, buffer, 255);
    if (n > 0) {
        ssize_t off = 0;
        while (off < n) {
            ssize_t w = write(fd, buffer + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) break;
            off += w;
        }
    }
    close(fd);
}

static void usage(void) {
    fprintf(stderr, "usage: fork_echo [-a ADDR] -p PORT\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *addr = "127.0.0.1";
    int port = 0, opt, one = 1;
    while ((opt = getopt(argc, argv, "a:p:h")) != -1) {
        switch (opt) {
        case 'a': addr = optarg; break;
        case 'p': port = atoi(optarg); break;
        default: usage();
        }
    }
    if (optind != argc || port <= 0 || port > 65535) usage();

    /* SIGTERM/SIGINT interrupt accept (no SA_RESTART) so that the loop sees stop; SIGCHLD restarts it. */
    struct sigaction stop_action = {.sa_handler = on_stop};
    sigaction(SIGTERM, &stop_action, NULL);
    sigaction(SIGINT, &stop_action, NULL);
    struct sigaction child_action = {.sa_handler = on_child, .sa_flags = SA_RESTART | SA_NOCLDSTOP};
    sigaction(SIGCHLD, &child_action, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, addr, &in.sin_addr) != 1) usage();
    int listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listen_fd < 0) { perror("socket"); return 1; }
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(listen_fd, (struct sockaddr *)&in, sizeof in) < 0) { perror("bind"); return 1; }
    if (listen(listen_fd, SOMAXCONN) < 0) { perror("listen"); return 1; }
    fprintf(stderr, "listening on tcp://%s:%d\n", addr, port);

    while (!stop) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            perror("accept"); /* e.g. EMFILE: try again */
            continue;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(listen_fd);
            serve_one(fd);
            _exit(0);
        }
        if (pid < 0) perror("fork"); /* e.g. EAGAIN at the process limit: this connection goes unanswered */
        close(fd);
    }
    close(listen_fd);
    return 0;
}
