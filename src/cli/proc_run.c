/* One child process per call: /bin/sh -c COMMAND with pipes on 0/1/2. */
#define _GNU_SOURCE /* pipe2, close_range, sigabbrev_np */
#include "cli/proc_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define CHUNK 65536
#define POLL_MS 100

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---------------------------------------------------------- environment */

static size_t name_len(const char *kv) {
    const char *eq = strchr(kv, '=');
    return eq ? (size_t)(eq - kv) : strlen(kv);
}

/* 1 when the NAME of @p kv is one of @p names (entries "NAME" or "NAME=..."). */
static int named_in(const char *kv, const char *const *names, size_t n) {
    size_t len = name_len(kv);
    for (size_t j = 0; j < n; j++)
        if (names[j] && name_len(names[j]) == len && strncmp(names[j], kv, len) == 0) return 1;
    return 0;
}

char **proc_env_build(const char *const *extra, size_t nextra, const char *const *drop, size_t ndrop) {
    size_t n = 0;
    while (environ && environ[n]) n++;
    char **env = calloc(n + nextra + 1, sizeof *env);
    if (env == NULL) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (named_in(environ[i], extra, nextra) || named_in(environ[i], drop, ndrop)) continue;
        if ((env[k] = strdup(environ[i])) == NULL) goto oom;
        k++;
    }
    for (size_t j = 0; j < nextra; j++) {
        if ((env[k] = strdup(extra[j])) == NULL) goto oom;
        k++;
    }
    return env;
oom:
    proc_env_free(env);
    return NULL;
}

void proc_env_free(char **envp) {
    if (envp == NULL) return;
    for (size_t i = 0; envp[i]; i++) free(envp[i]);
    free(envp);
}

/* --------------------------------------------------------------- pipes */

static void close_fd(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

/* A close-on-exec pipe whose ends are both >= 3, so the child's dup2 onto
 * 0/1/2 can never clobber a pipe end it still needs. */
static int make_pipe(int fds[2]) {
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        if (fds[i] >= 3) continue;
        int moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
        int e = errno;
        close(fds[i]);
        fds[i] = moved;
        if (moved < 0) {
            close_fd(&fds[1 - i]);
            errno = e;
            return -1;
        }
    }
    return 0;
}

static void set_nonblock(int fd) {
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* ---------------------------------------------------------------- child */

/* Between fork and exec: async-signal-safe calls only. */
static void child_exec(const proc_spec *s, int in_r, int out_w, int err_w, const sigset_t *old_mask,
                       pid_t parent) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127); /* ffctl died before prctl */
    if (dup2(in_r, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0) _exit(127);
    for (int fd = 0; fd < 3; fd++) fcntl(fd, F_SETFD, 0);
    if (close_range(3, ~0U, 0) != 0) {
        for (int fd = 3; fd < 4096; fd++) close(fd);
    }
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGPIPE, &dfl, NULL);
    sigaction(SIGINT, &dfl, NULL);
    sigaction(SIGTERM, &dfl, NULL);
    sigprocmask(SIG_SETMASK, old_mask, NULL);
    char *argv[] = {"sh", "-c", (char *)s->command, NULL};
    execve("/bin/sh", argv, s->envp);
    _exit(127);
}

/* --------------------------------------------------------- stderr lines */

typedef struct line_acc {
    char buf[PROC_ERR_LINE_MAX];
    size_t len;
} line_acc;

static void line_end(line_acc *a, const proc_spec *s, proc_result *r) {
    size_t n = a->len;
    while (n > 0 && (a->buf[n - 1] == '\r' || a->buf[n - 1] == ' ' || a->buf[n - 1] == '\t')) n--;
    if (n > 0) {
        memcpy(r->err_line, a->buf, n);
        r->err_line[n] = '\0';
        if (s->on_err_line) s->on_err_line(a->buf, n, s->ud);
    }
    a->len = 0;
}

static void line_feed(line_acc *a, const char *p, size_t n, const proc_spec *s, proc_result *r) {
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n') {
            line_end(a, s, r);
        } else if (a->len < sizeof a->buf - 1) {
            a->buf[a->len++] = p[i]; /* longer lines are cut, not split */
        }
    }
}

/* ---------------------------------------------------------------- pump */

typedef struct pump {
    const proc_spec *s;
    proc_result *r;
    int in_fd, out_fd, err_fd;
    size_t in_off;
    size_t out_cap;
    line_acc err;
} pump;

static void pump_stdin(pump *p) {
    const char *data = p->s->input;
    while (p->in_off < p->s->input_len) {
        size_t left = p->s->input_len - p->in_off;
        ssize_t w = write(p->in_fd, data + p->in_off, left < CHUNK ? left : CHUNK);
        if (w > 0) {
            p->in_off += (size_t)w;
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) return;
        break; /* EPIPE: the command does not read its input; that's its business */
    }
    close_fd(&p->in_fd);
}

static void keep_out(pump *p, const char *buf, size_t n) {
    proc_result *r = p->r;
    if (r->out_overflow) return;
    if (r->out_len + n > p->s->max_out) {
        r->out_overflow = 1;
        return;
    }
    if (r->out_len + n > p->out_cap) {
        size_t cap = p->out_cap ? p->out_cap : CHUNK;
        while (cap < r->out_len + n) cap *= 2;
        char *nb = realloc(r->out, cap);
        if (nb == NULL) {
            r->out_overflow = 1;
            return;
        }
        r->out = nb;
        p->out_cap = cap;
    }
    memcpy(r->out + r->out_len, buf, n);
    r->out_len += n;
}

/* Read what is available; closes the descriptor at EOF. */
static void pump_read(pump *p, int *fd, int is_err) {
    char buf[CHUNK];
    for (;;) {
        ssize_t n = read(*fd, buf, sizeof buf);
        if (n > 0) {
            if (is_err)
                line_feed(&p->err, buf, (size_t)n, p->s, p->r);
            else
                keep_out(p, buf, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        close_fd(fd);
        return;
    }
}

int proc_run(const proc_spec *s, proc_result *r) {
    memset(r, 0, sizeof *r);
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    if (make_pipe(in) != 0 || make_pipe(out) != 0 || make_pipe(err) != 0) {
        r->spawn_errno = errno ? errno : EMFILE;
        for (int i = 0; i < 2; i++) {
            close_fd(&in[i]);
            close_fd(&out[i]);
            close_fd(&err[i]);
        }
        return -1;
    }
    /* No signal handler may run in the child before it resets them. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) child_exec(s, in[0], out[1], err[1], &old, parent);
    int fork_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close_fd(&in[0]);
    close_fd(&out[1]);
    close_fd(&err[1]);
    if (pid < 0) {
        r->spawn_errno = fork_errno;
        close_fd(&in[1]);
        close_fd(&out[0]);
        close_fd(&err[0]);
        return -1;
    }
    setpgid(pid, pid); /* also done by the child; whichever runs first wins */

    pump p = {.s = s, .r = r, .in_fd = in[1], .out_fd = out[0], .err_fd = err[0]};
    set_nonblock(p.in_fd);
    set_nonblock(p.out_fd);
    set_nonblock(p.err_fd);
    if (s->input_len == 0) close_fd(&p.in_fd);

    int status = 0, reaped = 0, killed = 0, idle_ms = 1;
    int64_t stop_at = 0;
    for (;;) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            reaped = 1;
            break;
        }
        if (!r->stopped && s->should_stop && s->should_stop(s->ud)) {
            r->stopped = 1;
            stop_at = mono_ms();
            kill(-pid, SIGTERM);
        }
        if (r->stopped && !killed && mono_ms() - stop_at >= PROC_KILL_GRACE_MS) {
            kill(-pid, SIGKILL);
            killed = 1;
        }
        struct pollfd pf[3];
        int n = 0, ii = -1, io = -1, ie = -1;
        if (p.in_fd >= 0) pf[ii = n++] = (struct pollfd){p.in_fd, POLLOUT, 0};
        if (p.out_fd >= 0) pf[io = n++] = (struct pollfd){p.out_fd, POLLIN, 0};
        if (p.err_fd >= 0) pf[ie = n++] = (struct pollfd){p.err_fd, POLLIN, 0};
        if (n == 0) {
            /* Output closed: the child is exiting (or closed its pipes and
             * goes on); wait for it with a short, growing sleep. */
            poll(NULL, 0, idle_ms);
            if (idle_ms < 64) idle_ms *= 2;
            continue;
        }
        if (poll(pf, (nfds_t)n, POLL_MS) <= 0) continue;
        if (ii >= 0 && pf[ii].revents) pump_stdin(&p);
        if (io >= 0 && pf[io].revents) pump_read(&p, &p.out_fd, 0);
        if (ie >= 0 && pf[ie].revents) pump_read(&p, &p.err_fd, 1);
    }
    /* Everything the child wrote is in the pipes now; background processes
     * it left behind may keep them open, so read only what is there. */
    if (p.out_fd >= 0) pump_read(&p, &p.out_fd, 0);
    if (p.err_fd >= 0) pump_read(&p, &p.err_fd, 1);
    line_end(&p.err, s, r);
    close_fd(&p.in_fd);
    close_fd(&p.out_fd);
    close_fd(&p.err_fd);
    if (reaped && WIFEXITED(status)) {
        r->exited = 1;
        r->exit_code = WEXITSTATUS(status);
    } else if (reaped && WIFSIGNALED(status)) {
        r->signaled = 1;
        r->signo = WTERMSIG(status);
    }
    return 0;
}

void proc_result_free(proc_result *r) {
    if (r == NULL) return;
    free(r->out);
    r->out = NULL;
    r->out_len = 0;
}
