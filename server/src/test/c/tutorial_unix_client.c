/*
 * tutorial_unix_client.c - the tutorial's client over a Unix-domain stream socket: connect to a socket
 * path, prompt for one line, write it, read one reply of at most 255 bytes, print it.
 *
 * Usage: tutorial_unix_client socketpath
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

static void error(const char *msg)
{
    perror(msg);
    exit(1);
}

int main(int argc, char *argv[])
{
    int sockfd, n;
    struct sockaddr_un serv_addr;
    char buffer[256];

    if (argc < 2) {
        fprintf(stderr, "usage %s socketpath\n", argv[0]);
        exit(1);
    }
    if (strlen(argv[1]) >= sizeof(serv_addr.sun_path)) {
        fprintf(stderr, "ERROR, socket path too long\n");
        exit(1);
    }
    memset(&serv_addr, 0, sizeof(serv_addr));
    serv_addr.sun_family = AF_UNIX;
    strcpy(serv_addr.sun_path, argv[1]);
    sockfd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (sockfd < 0)
        error("ERROR opening socket");
    if (connect(sockfd, (struct sockaddr *) &serv_addr, sizeof(serv_addr)) < 0)
        error("ERROR connecting");

    printf("Please enter the message: ");
    memset(buffer, 0, sizeof(buffer));
    if (fgets(buffer, 255, stdin) == NULL)
        buffer[0] = '\0';
    n = write(sockfd, buffer, strlen(buffer));
    if (n < 0)
        error("ERROR writing to socket");
    memset(buffer, 0, sizeof(buffer));
    n = read(sockfd, buffer, 255);
    if (n < 0)
        error("ERROR reading from socket");
    printf("%s\n", buffer);
    close(sockfd);
    return 0;
}
