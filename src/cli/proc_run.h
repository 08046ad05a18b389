/*
 * Run one shell command as a child process: feed it bytes on stdin, collect
 * its stdout, keep the last line of its stderr, and stop it early when the
 * caller says so. Used by `ffctl worker`; safe to call from many threads at
 * once (every descriptor is close-on-exec, and the child closes everything
 * but 0/1/2 before exec, so concurrent children never hold each other's
 * pipes open).
 *
 * The child runs `/bin/sh -c COMMAND` in a process group of its own (so the
 * terminal's Ctrl-C reaches ffctl only, which stops gracefully), and dies
 * with SIGKILL if the thread that started it goes away (ffctl killed).
 * Stopping it early sends SIGTERM to its process group, then SIGKILL after
 * PROC_KILL_GRACE_MS.
 */
#ifndef FFCTL_PROC_RUN_H
#define FFCTL_PROC_RUN_H

#include <stddef.h>

#define PROC_KILL_GRACE_MS 2000
#define PROC_ERR_LINE_MAX 1024

typedef struct proc_spec {
    const char *command;       /* run as /bin/sh -c command */
    char *const *envp;         /* the child's whole environment */
    const void *input;         /* stdin bytes (then EOF) */
    size_t input_len;
    size_t max_out;            /* stdout beyond this is discarded (out_overflow) */
    /* Polled about every 100 ms while the child runs; non-zero stops it. */
    int (*should_stop)(void *ud);
    /* Optional: each complete stderr line (without the newline). */
    void (*on_err_line)(const char *line, size_t len, void *ud);
    void *ud;
} proc_spec;

typedef struct proc_result {
    int spawn_errno;           /* non-zero: the child could not be started */
    int exited;                /* exit_code is valid */
    int exit_code;
    int signaled;              /* signo is valid */
    int signo;
    int stopped;               /* should_stop asked for it and it was signalled */
    char *out;                 /* stdout bytes (malloc'ed, may be NULL when empty) */
    size_t out_len;
    int out_overflow;
    char err_line[PROC_ERR_LINE_MAX]; /* last non-empty stderr line, "" if none */
} proc_result;

/* Run to completion (or until stopped). Returns 0, or -1 when the child
 * could not be started (r->spawn_errno says why). Free r with
 * proc_result_free. */
int proc_run(const proc_spec *s, proc_result *r);
void proc_result_free(proc_result *r);

/* The current environment without the variables named in @p drop, with
 * @p extra ("NAME=value" strings) added, replacing same-named variables.
 * NULL-terminated; free with proc_env_free. */
char **proc_env_build(const char *const *extra, size_t nextra, const char *const *drop, size_t ndrop);
void proc_env_free(char **envp);

#endif
