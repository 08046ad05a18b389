/* The embedded private redis-server: with no URL configured, FlowFabric runs
 * (or reuses) a redis-server on a unix socket under the data directory, with
 * AOF persistence, so one command works on a fresh machine.
 *
 * The data directory is found the way git finds .git, so that programs
 * started in different folders of one project (or anywhere, for one user)
 * meet on the same server: the explicit directory, else $FF_HOME, else the
 * nearest .flowfabric/ from the current directory upward, else one per-user
 * directory ($XDG_DATA_HOME/flowfabric or ~/.local/share/flowfabric). */
#include <errno.h>
#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <limits.h>
#include <pwd.h>
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
#include "core/error.h"

#define SUN_PATH_MAX 100

static int ping_socket(const char *path) {
    struct timeval tv = {0, 300000};
    redisContext *rc = redisConnectUnixWithTimeout(path, tv);
    if (rc == NULL) return 0;
    int ok = 0;
    if (!rc->err) {
        redisReply *r = redisCommand(rc, "PING");
        /* A server still loading its AOF is alive too: never start a second
         * one on the same directory. */
        ok = r != NULL && (r->type == REDIS_REPLY_STATUS ||
                           (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "LOADING", 7) == 0));
        if (r) freeReplyObject(r);
    }
    redisFree(rc);
    return ok;
}

/* mkdir -p with mode 0700 for the directories it creates. */
static int mkdir_p(const char *path) {
    char tmp[PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s", path);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* @p d made absolute: resolved when it exists, else joined to the cwd. */
static int absolute(const char *d, char *out, size_t cap) {
    char *abs = realpath(d, NULL);
    int n;
    if (abs) {
        n = snprintf(out, cap, "%s", abs);
        free(abs);
    } else if (d[0] == '/') {
        n = snprintf(out, cap, "%s", d);
    } else {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd) == NULL) return -1;
        n = snprintf(out, cap, "%s/%s", cwd, d);
    }
    if (n < 0 || (size_t)n >= cap) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* The nearest .flowfabric/ directory from the cwd upward, as git finds .git. */
static int find_upward(char *out, size_t cap) {
    char dir[PATH_MAX];
    if (getcwd(dir, sizeof dir) == NULL) return -1;
    for (;;) {
        char cand[PATH_MAX + 16];
        snprintf(cand, sizeof cand, "%s/.flowfabric", strcmp(dir, "/") == 0 ? "" : dir);
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode)) return absolute(cand, out, cap);
        char *slash = strrchr(dir, '/');
        if (slash == NULL || strcmp(dir, "/") == 0) return -1;
        if (slash == dir)
            dir[1] = '\0';
        else
            *slash = '\0';
    }
}

/* One directory per user: $XDG_DATA_HOME/flowfabric (XDG: only an absolute
 * value counts), else ~/.local/share/flowfabric. */
static int user_default(char *out, size_t cap) {
    const char *xdg = getenv("XDG_DATA_HOME");
    int n;
    if (xdg && xdg[0] == '/') {
        n = snprintf(out, cap, "%s/flowfabric", xdg);
    } else {
        const char *home = getenv("HOME");
        if (home == NULL || home[0] != '/') {
            struct passwd *pw = getpwuid(getuid());
            home = pw ? pw->pw_dir : NULL;
        }
        if (home == NULL || home[0] != '/') {
            errno = ENOENT;
            return -1;
        }
        n = snprintf(out, cap, "%s/.local/share/flowfabric", home);
    }
    if (n < 0 || (size_t)n >= cap) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* The data dir: explicit > $FF_HOME > nearest .flowfabric/ upward > the
 * per-user default, absolute. With @p create it exists afterwards.
 * *explicit_out: 1 when it came from the caller or $FF_HOME (the stop hint
 * must then name it). */
static int resolve_dir(const char *data_dir, int create, char *out, size_t cap, int *explicit_out, char *err,
                       size_t errlen) {
    const char *d = data_dir;
    if (d == NULL || d[0] == '\0') d = getenv("FF_HOME");
    int explicit = d != NULL && d[0] != '\0';
    if (explicit_out) *explicit_out = explicit;
    const char *how = "the data directory";
    char path[PATH_MAX];
    if (explicit) {
        snprintf(path, sizeof path, "%s", d);
    } else if (find_upward(path, sizeof path) == 0) {
        create = 0; /* it exists */
    } else if (user_default(path, sizeof path) != 0) {
        snprintf(err, errlen, "no data directory for the embedded server: no .flowfabric/ above the current "
                 "directory and no home directory ($HOME) for the per-user one; set FF_HOME or FF_URL");
        return -1;
    } else {
        how = "the per-user data directory";
    }
    if (create && mkdir_p(path) != 0) {
        snprintf(err, errlen, "cannot create %s %s of the embedded server: %s", how, path, strerror(errno));
        return -1;
    }
    if (absolute(path, out, cap) != 0) {
        snprintf(err, errlen, "cannot use %s %s of the embedded server: %s", how, path, strerror(errno));
        return -1;
    }
    return 0;
}

/* unix://<socket> with the bytes a URL cannot hold %-escaped (a data dir may
 * contain spaces). Not uriEscapeA: it escapes '/' as well, which would make
 * every embedded URL unreadable ("unix://%2Fhome%2F..."). */
static void socket_url(const char *sock, char *out, size_t cap) {
    static const char keep[] = "-._~!$&'()*+,;=:@/";
    size_t o = (size_t)snprintf(out, cap, "unix://");
    for (const unsigned char *p = (const unsigned char *)sock; *p && o + 4 < cap; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(keep, *p))
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, cap - o, "%%%02X", *p);
    }
    out[o < cap ? o : cap - 1] = '\0';
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

int ff__embedded_ensure(const char *data_dir, const char *verb, char *dir_out, size_t dir_cap, char *url_out,
                        size_t url_cap, char *err, size_t errlen) {
    char dir[PATH_MAX];
    int explicit = 0;
    if (resolve_dir(data_dir, 1, dir, sizeof dir, &explicit, err, errlen) != 0) return FF_ESYS;
    if (dir_out && dir_cap) snprintf(dir_out, dir_cap, "%s", dir);
    char sock[PATH_MAX + 16];
    socket_path(dir, sock, sizeof sock);
    socket_url(sock, url_out, url_cap);
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
        /* A server nobody asked for by name keeps running after this
         * program: say so once, where it is and how to stop it. */
        if (st == FF_OK && verb)
            fprintf(stderr,
                    "flowfabric: %s the embedded redis-server at %s (socket %s); it keeps running: "
                    "`ffctl dev down%s%s` stops it\n",
                    verb, dir, sock, explicit ? " --data-dir " : "", explicit ? dir : "");
    }
    flock(lfd, LOCK_UN);
    close(lfd);
    return st;
}

/* ------------------------------------------------------- public dev API */

int ff_dev_server_up(const char *data_dir, char *url_out, size_t url_cap) {
    char url[PATH_MAX * 3 + 32], err[512];
    int st = ff__embedded_ensure(data_dir, NULL, NULL, 0, url, sizeof url, err, sizeof err);
    if (st == FF_OK && url_out && url_cap) snprintf(url_out, url_cap, "%s", url);
    if (st != FF_OK && url_out && url_cap) snprintf(url_out, url_cap, "%s", err);
    if (st != FF_OK) ff__fail(st, "%s", err);
    return st;
}

/* The socket of the data dir, without creating anything. */
static int locate(const char *data_dir, char *sock, size_t sock_cap) {
    char dir[PATH_MAX], err[512];
    if (resolve_dir(data_dir, 0, dir, sizeof dir, NULL, err, sizeof err) != 0) return ff__fail(FF_ESYS, "%s", err);
    socket_path(dir, sock, sock_cap);
    return FF_OK;
}

int ff_dev_server_status(const char *data_dir, char *url_out, size_t url_cap) {
    char sock[PATH_MAX + 16];
    int st = locate(data_dir, sock, sizeof sock);
    if (st != FF_OK) return st;
    if (url_out && url_cap) socket_url(sock, url_out, url_cap);
    return ping_socket(sock) ? FF_OK : FF_ENOTFOUND;
}

int ff_dev_server_down(const char *data_dir) {
    char sock[PATH_MAX + 16];
    int st = locate(data_dir, sock, sizeof sock);
    if (st != FF_OK) return st;
    if (!ping_socket(sock)) return FF_ENOTFOUND;
    struct timeval tv = {1, 0};
    redisContext *rc = redisConnectUnixWithTimeout(sock, tv);
    if (rc == NULL || rc->err) {
        if (rc) redisFree(rc);
        return ff__fail(FF_EIO, "cannot connect to the embedded server at %s", sock);
    }
    /* SHUTDOWN closes the connection instead of replying on success. */
    redisReply *r = redisCommand(rc, "SHUTDOWN");
    if (r) freeReplyObject(r);
    redisFree(rc);
    for (int i = 0; i < 100 && ping_socket(sock); i++) {
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return ping_socket(sock) ? ff__fail(FF_EIO, "the embedded server at %s did not stop within 5 s", sock) : FF_OK;
}
