/*
 * libcurl for topmock's upstream client (record, proxy), loaded at run time with dlopen: plain
 * `serve` never maps libcurl or its TLS stack, so its start-up and idle RSS stay as they are.
 * The header comes from Debian's libcurl4-gnutls-dev (build time); the library from
 * libcurl3-gnutls (run time, gnutls as libmicrohttpd's). Non-variadic wrappers, for Swift.
 * Every symbol is prefixed topmock_curl_. Only Sources/TopMockUpstream uses this.
 */
#ifndef TOPMOCK_CCURLSHIM_H
#define TOPMOCK_CCURLSHIM_H

#include <stddef.h>
#include <curl/curl.h>

/* The functions topmock calls, resolved once. */
struct topmock_curl_api {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *handle, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *handle);
    CURLcode (*easy_getinfo)(CURL *handle, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *handle);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *text);
    void (*slist_free_all)(struct curl_slist *list);
};

/* Loads libcurl (the gnutls build, then the default one) and resolves the API; returns 0, or -1
 * with dlerror()'s text in `error` (size `error_size`). Call once, before any thread uses curl. */
int topmock_curl_load(struct topmock_curl_api *api, char *error, size_t error_size);

/* Receives the body and the header lines, in pieces. */
typedef size_t (*topmock_curl_sink)(char *data, size_t size, size_t count, void *context);

/* One POST. */
struct topmock_curl_post {
    const char *url;
    const char *body;
    size_t body_length;
    const char *content_type_header; /* "Content-Type: …" */
    const char *ca_file;             /* NULL: the system's CAs */
    long timeout_ms;
};

/* Performs one POST on a fresh handle; the HTTP status in *status (0 when none came). */
CURLcode topmock_curl_perform_post(const struct topmock_curl_api *api, const struct topmock_curl_post *post,
                          topmock_curl_sink body_sink, topmock_curl_sink header_sink, void *context, long *status);

#endif
