/* The embedded private redis-server: with no URL configured, FlowFabric runs
 * (or reuses) a redis-server on a unix socket under the data directory, with
 * AOF persistence, so one command works on a fresh machine. */
#include <errno.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "client/client_int.h"
#include "core/crc16.h"

#define SUN_PATH_MAX 100

static int ping_socket(const char *path) {
    struct timeval tv = {0, 300000};
    redisContext *rc = redisConnectUnixWithTimeout(path, tv);
    if (rc == NULL) return 0;
    int ok = 0;
    if (!rc->err) {
        redisReply *r = redisCommand(rc, "PING");
        ok = r != NULL && r->type == REDIS_REPLY_STATUS;
        if (r) freeReplyObject(r);
    }
    redisFree(rc);
    return ok;
}

/* Absolute data dir: explicit > $FF_HOME > ./.flowfabric */
static int resolve_dir(const char *data_dir, char *out, size_t cap) {
    const char *d = data_dir;
    if (d == NULL || d[0] == '\0') d = getenv("FF_HOME");
    if (d == NULL || d[0] == '\0') d = ".flowfabric";
    if (mkdir(d, 0700) != 0 && errno != EEXIST) return -1;
    char *abs = realpath(d, NULL);
    if (abs == NULL) return -1;
    int n = snprintf(out, cap, "%s", abs);
    free(abs);
    return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

/* The socket lives in the data dir unless that path is too long for
 * sun_path, in which case a short /tmp path derived from the dir is used. */
static void socket_path(const char *dir, char *out, size_t cap) {
    snprintf(out, cap, "%s/redis.sock", dir);
    if (strlen(out) > SUN_PATH_MAX) {
        snprintf(out, cap, "/tmp/flowfabric-%u-%04x.sock", (unsigned)getuid(),
                 (unsigned)ff__crc16(dir, strlen(dir)));
    }
}

static int spawn_server(const char *dir, const char *sock, char *err, size_t errlen) {
    const char *bin = getenv("FF_REDIS_SERVER");
    if (bin == NULL || bin[0] == '\0') bin = "redis-server";
    char pidfile[PATH_MAX + 16], logfile[PATH_MAX + 16];
    snprintf(pidfile, sizeof pidfile, "%s/redis.pid", dir);
    snprintf(logfile, sizeof logfile, "%s/redis.log", dir);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork failed: %s", strerror(errno));
        return FF_ESPAWN;
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        execlp(bin, bin, "--port", "0", "--unixsocket", sock, "--unixsocketperm", "700", "--dir", dir,
               "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--daemonize", "yes",
               "--pidfile", pidfile, "--logfile", logfile, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(err, errlen,
                 "could not start %s (exit %d); install redis-server (apt-get install redis-server) or set FF_URL",
                 bin, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return FF_ESPAWN;
    }
    for (int i = 0; i < 100; i++) { /* up to ~5 s for the daemon to listen */
        if (ping_socket(sock)) return FF_OK;
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    snprintf(err, errlen, "redis-server started but %s did not answer; see %s", sock, logfile);
    return FF_ESPAWN;
}

int ff__embedded_ensure(const char *data_dir, char *url_out, size_t url_cap, char *err, size_t errlen) {
    char dir[PATH_MAX];
    if (resolve_dir(data_dir, dir, sizeof dir) != 0) {
        snprintf(err, errlen, "cannot use the embedded server directory: %s", strerror(errno));
        return FF_ESYS;
    }
    char sock[PATH_MAX + 16];
    socket_path(dir, sock, sizeof sock);
    snprintf(url_out, url_cap, "unix://%s", sock);
    if (ping_socket(sock)) return FF_OK;

    /* Serialise concurrent starters (several processes booting at once). */
    char lockpath[PATH_MAX + 16];
    snprintf(lockpath, sizeof lockpath, "%s/server.lock", dir);
    int lfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lfd < 0) {
        snprintf(err, errlen, "cannot open %s: %s", lockpath, strerror(errno));
        return FF_ESYS;
    }
    while (flock(lfd, LOCK_EX) != 0 && errno == EINTR) {
    }
    int st = FF_OK;
    if (!ping_socket(sock)) {
        unlink(sock); /* stale socket of a dead server */
        st = spawn_server(dir, sock, err, errlen);
    }
    flock(lfd, LOCK_UN);
    close(lfd);
    return st;
}

/* ------------------------------------------------------- public dev API */

int ff_dev_server_up(const char *data_dir, char *url_out, size_t url_cap) {
    char url[PATH_MAX + 32], err[512];
    int st = ff__embedded_ensure(data_dir, url, sizeof url, err, sizeof err);
    if (st == FF_OK && url_out && url_cap) snprintf(url_out, url_cap, "%s", url);
    if (st != FF_OK && url_out && url_cap) snprintf(url_out, url_cap, "%s", err);
    return st;
}

int ff_dev_server_status(const char *data_dir, char *url_out, size_t url_cap) {
    char dir[PATH_MAX], sock[PATH_MAX + 16];
    if (resolve_dir(data_dir, dir, sizeof dir) != 0) return FF_ESYS;
    socket_path(dir, sock, sizeof sock);
    if (url_out && url_cap) snprintf(url_out, url_cap, "unix://%s", sock);
    return ping_socket(sock) ? FF_OK : FF_ENOTFOUND;
}

int ff_dev_server_down(const char *data_dir) {
    char dir[PATH_MAX], sock[PATH_MAX + 16];
    if (resolve_dir(data_dir, dir, sizeof dir) != 0) return FF_ESYS;
    socket_path(dir, sock, sizeof sock);
    if (!ping_socket(sock)) return FF_ENOTFOUND;
    struct timeval tv = {1, 0};
    redisContext *rc = redisConnectUnixWithTimeout(sock, tv);
    if (rc == NULL || rc->err) {
        if (rc) redisFree(rc);
        return FF_EIO;
    }
    /* SHUTDOWN closes the connection instead of replying on success. */
    redisReply *r = redisCommand(rc, "SHUTDOWN");
    if (r) freeReplyObject(r);
    redisFree(rc);
    for (int i = 0; i < 100 && ping_socket(sock); i++) {
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return ping_socket(sock) ? FF_EIO : FF_OK;
}
