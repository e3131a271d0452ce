/*
 * The physical limit for topmock's benchmarks: libmicrohttpd answering a fixed body, started with
 * the same threading and robustness options as topmock's HTTP layer
 * (Sources/CMicroHTTPD/shim.h, Sources/TopMockHTTP/Internal/MHDDaemon.swift).
 *
 *   cc -O2 -o hello-mhd hello-mhd.c $(pkg-config --cflags --libs libmicrohttpd)
 *   ./hello-mhd PORT BODY_BYTES THREADS
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct MHD_Response *response;

static enum MHD_Result handler(void *cls, struct MHD_Connection *connection, const char *url, const char *method,
                               const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
    (void) cls; (void) url; (void) method; (void) version; (void) upload_data;
    static int marker;
    if (*req_cls == NULL) { *req_cls = &marker; return MHD_YES; }   /* headers */
    if (*upload_data_size > 0) { *upload_data_size = 0; return MHD_YES; }  /* body: read and drop */
    return MHD_queue_response(connection, MHD_HTTP_OK, response);
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 8090;
    size_t size = argc > 2 ? (size_t) atol(argv[2]) : 233;
    unsigned int threads = argc > 3 ? (unsigned int) atoi(argv[3]) : 2;
    char *body = malloc(size);
    memset(body, 'x', size);
    response = MHD_create_response_from_buffer(size, body, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(response, "Content-Type", "application/json;charset=UTF-8");
    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME,
        (uint16_t) port, NULL, NULL, &handler, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, threads > 1 ? threads : 0,
        MHD_OPTION_CONNECTION_LIMIT, 4096u,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t) 32 * 1024,
        MHD_OPTION_END);
    if (daemon == NULL) { fprintf(stderr, "cannot start on port %d\n", port); return 1; }
    printf("hello-mhd listening on %d\n", port);
    fflush(stdout);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigprocmask(SIG_BLOCK, &signals, NULL);
    int received;
    sigwait(&signals, &received);
    MHD_stop_daemon(daemon);
    MHD_destroy_response(response);
    return 0;
}
