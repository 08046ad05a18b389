/* Server URL parsing: redis://[user:pass@]host:port[/db], unix:///path[?db=N]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_int.h"

static int pct_decode(const char *s, size_t n, char **out) {
    char *d = malloc(n + 1);
    if (d == NULL) return FF_ENOMEM;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            char *end = NULL;
            long v = strtol(hex, &end, 16);
            if (end != hex + 2) {
                free(d);
                return FF_EINVAL;
            }
            d[o++] = (char)v;
            i += 2;
        } else {
            d[o++] = s[i];
        }
    }
    d[o] = '\0';
    *out = d;
    return FF_OK;
}

static int parse_db(const char *s, int *db) {
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < 0 || v > 1000000) return -1;
    *db = (int)v;
    return 0;
}

/* The userinfo of a redis:// URL, as [start, end) offsets, when present. */
static int userinfo_span(const char *url, size_t *start, size_t *end) {
    const char *p = NULL;
    if (strncmp(url, "redis://", 8) == 0)
        p = url + 8;
    else if (strncmp(url, "rediss://", 9) == 0)
        p = url + 9;
    if (p == NULL) return 0;
    const char *slash = strchr(p, '/');
    const char *at = strrchr(p, '@');
    if (at == NULL || (slash && at > slash)) return 0;
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

int ff__parse_url(ff_client *c, const char *url, char *err, size_t errlen) {
    /* Only the redacted form is kept: it is what ff_client_url() hands to
     * logs and tools; the credentials live in c->user / c->password. */
    size_t cap = strlen(url) + 8;
    c->url = malloc(cap);
    if (c->url == NULL) return FF_ENOMEM;
    ff_url_redact(url, c->url, cap);
    if (strncmp(url, "unix://", 7) == 0) {
        const char *path = url + 7;
        const char *q = strchr(path, '?');
        size_t plen = q ? (size_t)(q - path) : strlen(path);
        if (plen == 0 || path[0] != '/') {
            snprintf(err, errlen, "unix URL needs an absolute path: %s", url);
            return FF_EINVAL;
        }
        c->unix_path = ff__memdup(path, plen);
        if (q && strncmp(q, "?db=", 4) == 0) {
            if (parse_db(q + 4, &c->db) != 0) {
                snprintf(err, errlen, "bad db number in %s", url);
                return FF_EINVAL;
            }
        } else if (q) {
            snprintf(err, errlen, "unsupported unix URL query in %s", url);
            return FF_EINVAL;
        }
        return FF_OK;
    }
    if (strncmp(url, "redis://", 8) != 0) {
        snprintf(err, errlen, "unsupported URL (want redis://host:port[/db] or unix:///path): %s", url);
        return FF_EINVAL;
    }
    const char *p = url + 8;
    const char *at = strrchr(p, '@');
    const char *slash = strchr(p, '/');
    if (at && slash && at > slash) at = NULL;
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        if (colon) {
            if (colon > p && pct_decode(p, (size_t)(colon - p), &c->user) != FF_OK) goto bad;
            if (pct_decode(colon + 1, (size_t)(at - colon - 1), &c->password) != FF_OK) goto bad;
        } else if (pct_decode(p, (size_t)(at - p), &c->password) != FF_OK) {
            goto bad;
        }
        p = at + 1;
    }
    const char *end = slash ? slash : p + strlen(p);
    const char *colon = NULL;
    for (const char *q = p; q < end; q++)
        if (*q == ':') colon = q;
    size_t hlen = colon ? (size_t)(colon - p) : (size_t)(end - p);
    if (hlen == 0) {
        c->host = ff__strdup("127.0.0.1");
    } else {
        c->host = ff__memdup(p, hlen);
    }
    c->port = 6379;
    if (colon) {
        char portbuf[8];
        size_t n = (size_t)(end - colon - 1);
        if (n == 0 || n >= sizeof portbuf) goto bad;
        memcpy(portbuf, colon + 1, n);
        portbuf[n] = '\0';
        char *e = NULL;
        long port = strtol(portbuf, &e, 10);
        if (*e != '\0' || port <= 0 || port > 65535) goto bad;
        c->port = (int)port;
    }
    if (slash && slash[1] != '\0' && parse_db(slash + 1, &c->db) != 0) goto bad;
    return FF_OK;
bad:
    snprintf(err, errlen, "malformed server URL: %s", url);
    return FF_EINVAL;
}
