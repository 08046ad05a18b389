/* Self-pipe signal handling for ffctl's long-running commands. */
#define _GNU_SOURCE /* pipe2, close_range, sigabbrev_np */
#include "cli/cli_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

static int pipe_fds[2] = {-1, -1};
static atomic_int received;

static void on_signal(int sig) {
    (void)sig;
    int saved = errno; /* the handler may interrupt code that reads errno */
    atomic_fetch_add(&received, 1);
    if (pipe_fds[1] >= 0) {
        ssize_t r = write(pipe_fds[1], "s", 1);
        (void)r; /* a full pipe already says "signalled" */
    }
    errno = saved;
}

int cli_signals_install(void) {
    if (pipe_fds[0] >= 0) return 0;
    if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0) return -1;
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

int cli_signals_fd(void) { return pipe_fds[0]; }

int cli_signals_count(void) {
    char buf[64];
    if (pipe_fds[0] >= 0) {
        while (read(pipe_fds[0], buf, sizeof buf) > 0) {
        }
    }
    return atomic_load(&received);
}

void cli_signals_default(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
}
