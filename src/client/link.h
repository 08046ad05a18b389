/* The connection module: every connection the library opens (the pipelined
 * command connection of io.c, each subscriber of pubsub.c, and through them
 * the worker's wake-ups, the engine's due times and execution waits) is an
 * ff__link. A link owns:
 *   - connect: TCP host:port (names, IPv4, IPv6 literals) or the unix socket
 *     of the client's URL, attached to the client's loop (conn.c);
 *   - AUTH (user + password) and, when asked, SELECT db, with the same
 *     messages for the same refusals on every connection;
 *   - the caller's own handshake step (the command connection's library
 *     check and boot; a subscriber's SUBSCRIBE of its channels), run after
 *     AUTH/SELECT on every (re)connect;
 *   - reconnect with backoff (50 ms doubling to 2 s; reset by
 *     ff__link_healthy);
 *   - the in-flight failure rule (ff__link_lost_action below).
 * A dropped link never fails anything by itself: the callbacks of commands
 * sent on it get a NULL reply (hiredis), and their owner applies the rule.
 *
 * THREADING: I/O thread only, including every callback. */
#ifndef FF_CLIENT_LINK_H
#define FF_CLIENT_LINK_H

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <stddef.h>
#include <stdint.h>

#include "client/client_int.h"

typedef struct ff__link ff__link;

typedef struct ff__link_hooks {
    /* After AUTH (and SELECT): the caller's handshake. It sends with
     * ff__link_send and ends with ff__link_ready, ff__link_refused or
     * ff__link_retry. NULL: ready at once. */
    void (*handshake)(ff__link *l, void *ud);
    /* Connecting failed (nothing answers, refused, ...), msg says why. Return
     * 1 to reconnect with backoff, 0 to leave the link down (the caller may
     * ff__link_connect it later). NULL: always reconnect. */
    int (*connect_failed)(ff__link *l, void *ud, const char *msg);
    /* AUTH, SELECT or a step run through ff__link_common_error was refused
     * (status FF_EAUTH / FF_EINVAL). The link then disconnects and
     * reconnects with backoff. NULL: nothing to report. */
    void (*refused)(ff__link *l, void *ud, int status, const char *msg);
    /* A transient answer (LOADING, BUSY, ...) during the handshake; the link
     * reconnects with backoff. NULL: ignore. */
    void (*trouble)(ff__link *l, void *ud, const char *msg);
    /* The connection was lost after it had been opened (any state); the link
     * reconnects with backoff. NULL: nothing to do. */
    void (*down)(ff__link *l, void *ud);
    /* The backoff timer fired. Return 1 when the caller takes over (it calls
     * ff__link_connect or ff__link_backoff itself later, e.g. after
     * restarting the embedded server). NULL: connect now. */
    int (*before_reconnect)(ff__link *l, void *ud);
} ff__link_hooks;

/* A link to the client's server; nothing is opened until ff__link_connect.
 * @p select_db: send SELECT for the URL's db (command connections; pub/sub
 * channels are not per db). NULL on OOM. */
ff__link *ff__link_new(ff_client *c, const ff__link_hooks *hooks, void *ud, int select_db);
/* Open the connection now (no-op while one is open or closing). */
void ff__link_connect(ff__link *l);
/* Schedule the next connect attempt after the current backoff delay. */
void ff__link_backoff(ff__link *l);
/* The caller's handshake succeeded: the link is ready. */
void ff__link_ready(ff__link *l);
/* The connection works (reset the backoff to its minimum). */
void ff__link_healthy(ff__link *l);
/* Retry at the slow end of the backoff (credentials stay wrong a while). */
void ff__link_slow_down(ff__link *l);
/* The caller's handshake met a fatal answer: report it (refused hook) and
 * drop the connection (reconnect with backoff). */
void ff__link_refused(ff__link *l, int status, const char *msg);
/* A transient answer: report (trouble hook), drop and reconnect. */
void ff__link_retry(ff__link *l, const char *msg);
/* Close the connection now (the down hook runs, then backoff). */
void ff__link_drop(ff__link *l);
/* Error replies every handshake step treats alike: NOAUTH and the other
 * refusals of who we are (-> refused, FF_EAUTH), and "not now" answers
 * (-> retry). @p cmd names the command for the message. Returns 1 when the
 * reply was one of those and has been handled. */
int ff__link_common_error(ff__link *l, const char *cmd, const redisReply *r);
/* Send one command; fn(ac, reply, priv) gets NULL if the connection drops
 * first. FF_OK, or FF_EIO when it could not be queued (no connection, or
 * closing); then fn never runs. */
int ff__link_send(ff__link *l, redisCallbackFn *fn, void *priv, int argc, const char **argv, const size_t *lens);
/* 1 once ff__link_ready ran on the current connection. */
int ff__link_is_ready(const ff__link *l);
/* 1 while a connection is open or being opened. */
int ff__link_is_open(const ff__link *l);
void *ff__link_ud(const ff__link *l);
ff_client *ff__link_client(const ff__link *l);
/* Close for good: no hook or reply callback with a reply runs after this
 * (callbacks of commands in flight get NULL replies, during the call or, if
 * called from inside a reply callback, right after it). The struct is freed
 * on a later loop iteration, then freed(arg) runs (NULL: nothing), so the
 * owner can keep the privdata of those late callbacks valid until then.
 * NULL-safe. */
void ff__link_free(ff__link *l, void (*freed)(void *), void *arg);

/* The in-flight failure rule, the same for every command connection: when
 * the link drops, a command sent but not answered is resent on the next
 * connection if its op said its round is safe to repeat (retry_transport,
 * e.g. waits) and the client is not stopping; otherwise its op fails with
 * FF_EIO "connection lost while the call was in flight". Nothing is ever
 * resent silently otherwise: a write may have happened. */
enum { FF__LOST_FAIL = 0, FF__LOST_RESEND = 1 };
int ff__link_lost_action(int retry_transport, int stopping);

#endif
