/* The floor a tick of tcp jobs is compared with: N sequential TCP connects
 * to HOST:PORT, each opened and closed as the tcp plugin does (non-blocking
 * connect, poll for it, close), in one process with no isolation, no state
 * and no plugins. With "get", each connection also sends an HTTP/1.1 GET /
 * and reads the answer to its end, as an http job does at the least: the
 * floor of a tick of http jobs. With several ports ("8080,8081"), the
 * connections go to each in turn, as the bench's jobs do. Exits 1 when a
 * connect or a GET fails.
 *
 * usage: connect_floor HOST PORT[,PORT...] N [get] */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Sends the request and reads until the server closes (it is asked to);
 * 0 when an answer came. Each wait is bounded by 10 s. */
static int get_once(int fd, const char *request, size_t length) {
  size_t sent = 0;
  while (sent < length) {
    struct pollfd writable = {fd, POLLOUT, 0};
    if (poll(&writable, 1, 10000) != 1) return -1;
    ssize_t wrote = send(fd, request + sent, length - sent, MSG_NOSIGNAL);
    if (wrote < 0 && errno != EAGAIN && errno != EINTR) return -1;
    if (wrote > 0) sent += (size_t)wrote;
  }
  char buffer[4096];
  size_t received = 0;
  for (int reads = 0; reads < 1000; ++reads) {
    struct pollfd readable = {fd, POLLIN, 0};
    if (poll(&readable, 1, 10000) != 1) return -1;
    ssize_t got = recv(fd, buffer, sizeof buffer, 0);
    if (got == 0) return received > 0 ? 0 : -1;
    if (got < 0 && errno != EAGAIN && errno != EINTR) return -1;
    if (got > 0) received += (size_t)got;
  }
  return -1;
}

static int connect_once(const struct sockaddr_in *address, const char *request, size_t length) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int ok = connect(fd, (const struct sockaddr *)address, sizeof *address) == 0;
  if (!ok && errno == EINPROGRESS) {
    struct pollfd waiting = {fd, POLLOUT, 0};
    int error = 0;
    socklen_t size = sizeof error;
    ok = poll(&waiting, 1, 10000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0;
  }
  if (ok && request) ok = get_once(fd, request, length) == 0;
  close(fd);
  return ok ? 0 : -1;
}

int main(int argc, char **argv) {
  if (argc != 4 && !(argc == 5 && strcmp(argv[4], "get") == 0)) {
    fprintf(stderr, "usage: connect_floor HOST PORT N [get]\n");
    return 2;
  }
  char request[256];
  snprintf(request, sizeof request, "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", argv[1]);
  const char *get = argc == 5 ? request : NULL;
  struct sockaddr_in addresses[64];
  int ports = 0;
  for (char *port = strtok(argv[2], ","); port && ports < 64; port = strtok(NULL, ",")) {
    struct sockaddr_in *address = &addresses[ports++];
    memset(address, 0, sizeof *address);
    address->sin_family = AF_INET;
    address->sin_port = htons((unsigned short)atoi(port));
    if (inet_pton(AF_INET, argv[1], &address->sin_addr) != 1) {
      fprintf(stderr, "connect_floor: %s is not an IPv4 address\n", argv[1]);
      return 2;
    }
  }
  if (ports == 0) {
    fprintf(stderr, "connect_floor: no port\n");
    return 2;
  }
  long count = atol(argv[3]);
  for (long i = 0; i < count; ++i) {
    if (connect_once(&addresses[i % ports], get, strlen(request)) != 0) {
      fprintf(stderr, "connect_floor: %s %d failed\n", get ? "GET" : "connect", (int)i);
      return 1;
    }
  }
  return 0;
}
