/*
 * tutorial_unixgram_client.c - the tutorial's datagram client over a Unix-domain datagram socket. A Unix
 * datagram client must bind a path of its own first, or the server has no address to answer to.
 *
 * Usage: tutorial_unixgram_client serverpath clientpath
 *
 * The client path is removed before exit. recvfrom gives up after 5 seconds (SO_RCVTIMEO).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

static const char *bound_path;

static void error(const char *msg)
{
    perror(msg);
    if (bound_path != NULL)
        unlink(bound_path);
    exit(1);
}

static void set_path(struct sockaddr_un *addr, const char *path)
{
    if (strlen(path) >= sizeof(addr->sun_path)) {
        fprintf(stderr, "ERROR, socket path too long: %s\n", path);
        exit(1);
    }
    memset(addr, 0, sizeof(*addr));
    addr->sun_family = AF_UNIX;
    strcpy(addr->sun_path, path);
}

int main(int argc, char *argv[])
{
    int sock, n;
    struct sockaddr_un server, client, from;
    socklen_t fromlen;
    struct timeval timeout;
    char buffer[256];

    if (argc < 3) {
        fprintf(stderr, "usage %s serverpath clientpath\n", argv[0]);
        exit(1);
    }
    set_path(&server, argv[1]);
    set_path(&client, argv[2]);
    sock = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (sock < 0)
        error("socket");
    if (bind(sock, (struct sockaddr *) &client, sizeof(client)) < 0)
        error("bind");
    bound_path = argv[2];
    timeout.tv_sec = 5;
    timeout.tv_usec = 0;
    if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0)
        error("setsockopt");

    printf("Please enter the message: ");
    memset(buffer, 0, sizeof(buffer));
    if (fgets(buffer, 255, stdin) == NULL)
        buffer[0] = '\0';
    n = sendto(sock, buffer, strlen(buffer), 0, (struct sockaddr *) &server, sizeof(server));
    if (n < 0)
        error("sendto");
    memset(buffer, 0, sizeof(buffer));
    fromlen = sizeof(from);
    n = recvfrom(sock, buffer, 255, 0, (struct sockaddr *) &from, &fromlen);
    if (n < 0)
        error("recvfrom");
    printf("%s\n", buffer);
    close(sock);
    unlink(argv[2]);
    return 0;
}
