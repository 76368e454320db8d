/* The floor a tick of tcp jobs is compared with: N sequential TCP connects
 * to HOST:PORT, each opened and closed as the tcp plugin does (non-blocking
 * connect, poll for it, close), in one process with no isolation, no state
 * and no plugins. Exits 1 when a connect fails.
 *
 * usage: connect_floor HOST PORT N */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_once(const struct sockaddr_in *address) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int ok = connect(fd, (const struct sockaddr *)address, sizeof *address) == 0;
  if (!ok && errno == EINPROGRESS) {
    struct pollfd waiting = {fd, POLLOUT, 0};
    int error = 0;
    socklen_t length = sizeof error;
    ok = poll(&waiting, 1, 10000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0;
  }
  close(fd);
  return ok ? 0 : -1;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: connect_floor HOST PORT N\n");
    return 2;
  }
  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_port = htons((unsigned short)atoi(argv[2]));
  if (inet_pton(AF_INET, argv[1], &address.sin_addr) != 1) {
    fprintf(stderr, "connect_floor: %s is not an IPv4 address\n", argv[1]);
    return 2;
  }
  long count = atol(argv[3]);
  for (long i = 0; i < count; ++i) {
    if (connect_once(&address) != 0) {
      perror("connect_floor: connect");
      return 1;
    }
  }
  return 0;
}
