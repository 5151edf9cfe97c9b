/*
 * A TCP server in the style of the classic BSD sockets tutorial, for testing that the echoack client works
 * against a server like the one it grew out of: accept one connection, read up to 255 bytes once, print
 * "Here is the message: <msg>", answer "I got your message" (no newline) and exit.
 *
 * Usage: tutorial_server PORT   (PORT 0 lets the OS choose; the port is printed as "port: N" first)
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

static void fail(const char *what)
{
    perror(what);
    exit(1);
}

int main(int argc, char *argv[])
{
    int listen_fd, conn_fd, one = 1;
    socklen_t addr_len;
    char buffer[256];
    struct sockaddr_in serv_addr, cli_addr;
    ssize_t n;

    if (argc < 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd < 0)
        fail("ERROR opening socket");
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&serv_addr, 0, sizeof serv_addr);
    serv_addr.sin_family = AF_INET;
    serv_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    serv_addr.sin_port = htons((unsigned short) atoi(argv[1]));
    if (bind(listen_fd, (struct sockaddr *) &serv_addr, sizeof serv_addr) < 0)
        fail("ERROR on binding");
    listen(listen_fd, 5);

    addr_len = sizeof serv_addr;
    if (getsockname(listen_fd, (struct sockaddr *) &serv_addr, &addr_len) < 0)
        fail("ERROR on getsockname");
    printf("port: %d\n", ntohs(serv_addr.sin_port));
    fflush(stdout);

    addr_len = sizeof cli_addr;
    conn_fd = accept(listen_fd, (struct sockaddr *) &cli_addr, &addr_len);
    if (conn_fd < 0)
        fail("ERROR on accept");
    memset(buffer, 0, sizeof buffer);
    n = read(conn_fd, buffer, 255);
    if (n < 0)
        fail("ERROR reading from socket");
    printf("Here is the message: %s\n", buffer);
    fflush(stdout);
    n = write(conn_fd, "I got your message", 18);
    if (n < 0)
        fail("ERROR writing to socket");
    close(conn_fd);
    close(listen_fd);
    return 0;
}
