/*
 * SIGINT / SIGTERM for the long-running commands (worker, engine, demo):
 * the handler only counts the signal and writes a byte to a self-pipe, so a
 * command's main loop can poll the pipe next to ff_client_fd() and decide
 * (first signal: graceful stop; second: hurry up). Handlers are reset to
 * the default on exec, so child processes are unaffected.
 */
#ifndef FFCTL_CLI_SIGNAL_H
#define FFCTL_CLI_SIGNAL_H

/* Install the handlers (idempotent). Also ignores SIGPIPE: writes to a
 * closed pipe then fail with EPIPE instead of killing ffctl. Returns 0, or
 * -1 with errno set. */
int cli_signals_install(void);
/* Read end of the self-pipe (readable after a signal); -1 if not installed. */
int cli_signals_fd(void);
/* Drain the pipe; total number of SIGINT/SIGTERM received so far. */
int cli_signals_count(void);
/* Restore the default dispositions of SIGINT and SIGTERM (a further signal
 * then terminates the process at once). */
void cli_signals_default(void);

#endif
