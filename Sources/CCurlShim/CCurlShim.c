#include "CCurlShim.h"

#include <dlfcn.h>
#include <stdio.h>

int
topmock_curl_load(struct topmock_curl_api *api, char *error, size_t error_size)
{
    static const char *names[] = {"libcurl-gnutls.so.4", "libcurl.so.4"};
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && library == NULL; i++)
        library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(error, error_size, "%s", why ? why : "libcurl not found");
        return -1;
    }
#define TOPMOCK_CURL_SYMBOL(field, name) \
    *(void **) (&api->field) = dlsym(library, name); \
    if (api->field == NULL) { snprintf(error, error_size, "libcurl lacks %s", name); return -1; }
    TOPMOCK_CURL_SYMBOL(global_init, "curl_global_init")
    TOPMOCK_CURL_SYMBOL(easy_init, "curl_easy_init")
    TOPMOCK_CURL_SYMBOL(easy_setopt, "curl_easy_setopt")
    TOPMOCK_CURL_SYMBOL(easy_perform, "curl_easy_perform")
    TOPMOCK_CURL_SYMBOL(easy_getinfo, "curl_easy_getinfo")
    TOPMOCK_CURL_SYMBOL(easy_cleanup, "curl_easy_cleanup")
    TOPMOCK_CURL_SYMBOL(easy_strerror, "curl_easy_strerror")
    TOPMOCK_CURL_SYMBOL(slist_append, "curl_slist_append")
    TOPMOCK_CURL_SYMBOL(slist_free_all, "curl_slist_free_all")
#undef TOPMOCK_CURL_SYMBOL
    if (api->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(error, error_size, "curl_global_init failed");
        return -1;
    }
    return 0;
}

CURLcode
topmock_curl_perform_post(const struct topmock_curl_api *api, const struct topmock_curl_post *post,
                          topmock_curl_sink body_sink, topmock_curl_sink header_sink, void *context, long *status)
{
    CURL *handle = api->easy_init();
    if (handle == NULL) return CURLE_FAILED_INIT;
    struct curl_slist *headers = api->slist_append(NULL, post->content_type_header);
    headers = api->slist_append(headers, "Expect:"); /* no 100-continue round trip */
    api->easy_setopt(handle, CURLOPT_URL, post->url);
    api->easy_setopt(handle, CURLOPT_POST, 1L);
    api->easy_setopt(handle, CURLOPT_POSTFIELDS, post->body);
    api->easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) post->body_length);
    api->easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    api->easy_setopt(handle, CURLOPT_WRITEFUNCTION, body_sink);
    api->easy_setopt(handle, CURLOPT_WRITEDATA, context);
    api->easy_setopt(handle, CURLOPT_HEADERFUNCTION, header_sink);
    api->easy_setopt(handle, CURLOPT_HEADERDATA, context);
    api->easy_setopt(handle, CURLOPT_TIMEOUT_MS, post->timeout_ms);
    api->easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    api->easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, ""); /* what curl can decode, as the SDKs ask for gzip */
    if (post->ca_file != NULL) api->easy_setopt(handle, CURLOPT_CAINFO, post->ca_file);
    CURLcode code = api->easy_perform(handle);
    *status = 0;
    api->easy_getinfo(handle, CURLINFO_RESPONSE_CODE, status);
    api->slist_free_all(headers);
    api->easy_cleanup(handle);
    return code;
}
