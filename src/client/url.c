/* Server URL parsing: redis://[user:pass@]host:port[/db] (IPv6 literals in
 * brackets, the legacy redis://:pass@ and redis://pass@ forms) and
 * unix:///path[?db=N]. The syntax and the percent-escapes are checked by
 * liburiparser (RFC 3986); this file only maps the parts onto the client. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <uriparser/Uri.h>

#include "client/client_int.h"

typedef struct span {
    const char *p;
    size_t n;
} span;

static span range(UriTextRangeA r) {
    span s = {r.first, r.first ? (size_t)(r.afterLast - r.first) : 0};
    return s;
}

/* The URL part holding byte @p pos of a URL uriparser refused, found by the
 * delimiters alone (the URL is not valid, so this is only a best guess for
 * the message). */
static const char *part_at(const char *url, size_t pos) {
    const char *sep = strstr(url, "://");
    if (sep == NULL || pos < (size_t)(sep - url)) return "scheme";
    size_t auth = (size_t)(sep - url) + 3;
    size_t auth_end = auth + strcspn(url + auth, "/?#");
    if (pos >= auth_end) {
        const char *hash = strchr(url + auth_end, '#');
        const char *query = strchr(url + auth_end, '?');
        if (hash && url + pos >= hash) return "fragment";
        if (query && url + pos >= query) return "query";
        return "path";
    }
    const char *at = NULL;
    for (const char *q = url + auth; q < url + auth_end; q++)
        if (*q == '@') at = q;
    size_t host = at ? (size_t)(at - url) + 1 : auth;
    if (at && pos < host) {
        const char *colon = memchr(url + auth, ':', (size_t)(at - url) - auth);
        return colon && pos > (size_t)(colon - url) ? "password" : (colon ? "user name" : "password");
    }
    const char *h = url + host;
    const char *host_end = h[0] == '[' ? memchr(h, ']', auth_end - host) : NULL;
    if (h[0] == '[' && host_end == NULL) return "host"; /* unclosed IPv6 literal */
    const char *port = memchr(host_end ? host_end : h, ':', (size_t)(url + auth_end - (host_end ? host_end : h)));
    return port && pos > (size_t)(port - url) ? "port" : "host";
}

/* Percent-decode one part into a new string; a %00 (NUL) cannot be carried
 * by a C string (nor sent as an AUTH argument here), so it is refused. */
static int decode(span s, const char *part, const char *shown, char **out, char *err, size_t errlen) {
    char *d = ff__memdup(s.p ? s.p : "", s.n);
    if (d == NULL) return FF_ENOMEM;
    const char *end = uriUnescapeInPlaceExA(d, URI_FALSE, URI_BR_DONT_TOUCH);
    if ((size_t)(end - d) != strlen(d)) {
        free(d);
        snprintf(err, errlen, "the %s of the server URL %s holds %%00 (a NUL byte), which it cannot contain", part,
                 shown);
        return FF_EINVAL;
    }
    *out = d;
    return FF_OK;
}

static int parse_db(span s, int *db) {
    if (s.n == 0 || s.n > 7) return -1;
    int v = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] < '0' || s.p[i] > '9') return -1;
        v = v * 10 + (s.p[i] - '0');
    }
    *db = v;
    return 0;
}

/* The userinfo of a redis:// URL, as [start, end) offsets, when present. The
 * LAST '@' ends it: a password with a stray '/' or '@' is then still hidden
 * (too much is hidden rather than too little). */
static int userinfo_span(const char *url, size_t *start, size_t *end) {
    const char *p = NULL;
    if (strncmp(url, "redis://", 8) == 0)
        p = url + 8;
    else if (strncmp(url, "rediss://", 9) == 0)
        p = url + 9;
    if (p == NULL) return 0;
    const char *at = strrchr(p, '@');
    if (at == NULL) return 0;
    *start = (size_t)(p - url);
    *end = (size_t)(at - url);
    return 1;
}

int ff_url_redact(const char *url, char *out, size_t cap) {
    if (url == NULL || out == NULL || cap == 0) return FF_EINVAL;
    size_t start = 0, end = 0;
    int w;
    if (!userinfo_span(url, &start, &end)) {
        w = snprintf(out, cap, "%s", url);
    } else {
        /* Keep the user name (it names an ACL user, not a secret); hide the
         * password. "redis://pw@host" (no ':') is the legacy password form. */
        const char *colon = memchr(url + start, ':', end - start);
        size_t keep = colon ? (size_t)(colon - url) + 1 : start;
        w = snprintf(out, cap, "%.*s***%s", (int)keep, url, url + end);
    }
    return (w < 0 || (size_t)w >= cap) ? FF_ETOOBIG : FF_OK;
}

static int parse_unix(ff_client *c, const UriUriA *u, const char *shown, char *err, size_t errlen) {
    span host = range(u->hostText);
    if (u->userInfo.first || host.n > 0 || u->portText.first || u->pathHead == NULL) {
        snprintf(err, errlen, "unix URL needs an absolute path (unix:///path/to.sock[?db=N]): %s", shown);
        return FF_EINVAL;
    }
    /* The path runs from the '/' before the first segment to the end of the
     * last one. */
    span path = {u->pathHead->text.first - 1, (size_t)(u->pathTail->text.afterLast - u->pathHead->text.first + 1)};
    int st = decode(path, "path", shown, &c->unix_path, err, errlen);
    if (st != FF_OK) return st;
    if (strlen(c->unix_path) < 2 || c->unix_path[0] != '/') {
        snprintf(err, errlen, "unix URL needs an absolute path (unix:///path/to.sock[?db=N]): %s", shown);
        return FF_EINVAL;
    }
    if (strlen(c->unix_path) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        snprintf(err, errlen, "unix socket path longer than %zu bytes (the system limit): %s",
                 sizeof(((struct sockaddr_un *)0)->sun_path) - 1, shown);
        return FF_EINVAL;
    }
    span q = range(u->query);
    if (u->query.first) {
        if (q.n < 3 || strncmp(q.p, "db=", 3) != 0) {
            snprintf(err, errlen, "unsupported query in the unix URL %s (only ?db=N)", shown);
            return FF_EINVAL;
        }
        q.p += 3;
        q.n -= 3;
        if (parse_db(q, &c->db) != 0) {
            snprintf(err, errlen, "bad database number in the query of the server URL %s (want ?db=N, N >= 0)",
                     shown);
            return FF_EINVAL;
        }
    }
    return FF_OK;
}

static int parse_redis(ff_client *c, const UriUriA *u, const char *shown, char *err, size_t errlen) {
    int st = FF_OK;
    if (u->userInfo.first) {
        span ui = range(u->userInfo);
        const char *colon = memchr(ui.p, ':', ui.n);
        if (colon == NULL) {
            /* legacy redis://password@host */
            st = decode(ui, "password", shown, &c->password, err, errlen);
        } else {
            span user = {ui.p, (size_t)(colon - ui.p)};
            span pw = {colon + 1, ui.n - user.n - 1};
            if (user.n > 0) st = decode(user, "user name", shown, &c->user, err, errlen);
            if (st == FF_OK) st = decode(pw, "password", shown, &c->password, err, errlen);
        }
        if (st != FF_OK) return st;
    }
    span host = range(u->hostText);
    if (u->hostData.ipFuture.first) {
        snprintf(err, errlen, "unsupported address literal in the host of the server URL %s", shown);
        return FF_EINVAL;
    }
    if (host.n == 0) {
        c->host = ff__strdup("127.0.0.1");
    } else if ((st = decode(host, "host", shown, &c->host, err, errlen)) != FF_OK) {
        return st;
    }
    c->port = 6379;
    span port = range(u->portText);
    if (u->portText.first && port.n == 0) {
        snprintf(err, errlen, "empty port after ':' in the server URL %s", shown);
        return FF_EINVAL;
    }
    if (port.n > 0) {
        long v = 0;
        for (size_t i = 0; i < port.n && v <= 65535; i++) v = v * 10 + (port.p[i] - '0');
        if (v < 1 || v > 65535) {
            snprintf(err, errlen, "port out of range (1..65535) in the server URL %s", shown);
            return FF_EINVAL;
        }
        c->port = (int)v;
    }
    /* Path: nothing, "/" or "/<db>". */
    const UriPathSegmentA *seg = u->pathHead;
    if (seg && (seg->next || (seg->text.afterLast > seg->text.first && parse_db(range(seg->text), &c->db) != 0))) {
        snprintf(err, errlen, "bad database number in the path of the server URL %s (want /N, N >= 0)", shown);
        return FF_EINVAL;
    }
    if (u->query.first || u->fragment.first) {
        snprintf(err, errlen, "unsupported %s in the server URL %s", u->query.first ? "query" : "fragment", shown);
        return FF_EINVAL;
    }
    return FF_OK;
}

int ff__parse_url(ff_client *c, const char *url, char *err, size_t errlen) {
    /* Only the redacted form is kept: it is what ff_client_url() hands to
     * logs and tools (and every message below shows); the credentials live
     * in c->user / c->password. */
    size_t cap = strlen(url) + 8;
    c->url = malloc(cap);
    if (c->url == NULL) return FF_ENOMEM;
    ff_url_redact(url, c->url, cap);
    const char *shown = c->url;

    UriUriA u;
    const char *bad = NULL;
    if (uriParseSingleUriA(&u, url, &bad) != URI_SUCCESS) {
        size_t pos = bad ? (size_t)(bad - url) : 0;
        /* uriparser may report the end of the URL: blame its last part. */
        if (pos > 0 && url[pos] == '\0') pos--;
        const char *part = part_at(url, pos);
        /* Never quote the password's text, not even one byte of it. */
        if (strcmp(part, "password") == 0)
            snprintf(err, errlen, "malformed password in the server URL %s (a bad %%-escape or a character that "
                     "must be %%-escaped)", shown);
        else
            snprintf(err, errlen, "malformed %s in the server URL %s at byte %zu ('%c'; a bad %%-escape or a "
                     "character that must be %%-escaped)", part, shown, pos,
                     url[pos] >= 0x20 && url[pos] < 0x7f ? url[pos] : '?');
        return FF_EINVAL;
    }
    span scheme = range(u.scheme);
    int st;
    if (scheme.n == 4 && strncmp(scheme.p, "unix", 4) == 0) {
        st = parse_unix(c, &u, shown, err, errlen);
    } else if (scheme.n == 5 && strncmp(scheme.p, "redis", 5) == 0) {
        st = parse_redis(c, &u, shown, err, errlen);
    } else if (scheme.n == 6 && strncmp(scheme.p, "rediss", 6) == 0) {
        snprintf(err, errlen, "rediss:// (TLS) is not supported (hiredis 0.14 has no TLS); use a local TLS tunnel "
                 "and redis://: %s", shown);
        st = FF_EUNSUPPORTED;
    } else {
        snprintf(err, errlen, "unsupported URL (want redis://[user:pass@]host:port[/db] or unix:///path): %s", shown);
        st = FF_EINVAL;
    }
    uriFreeUriMembersA(&u);
    if (st == FF_OK && (c->host == NULL && c->unix_path == NULL)) st = FF_ENOMEM;
    return st;
}
