/*
 * Non-variadic wrappers around libmicrohttpd, for Swift (which does not import C-variadic
 * functions). Every symbol is prefixed topmock_mhd_. Only Sources/TopMockHTTP/Internal uses this.
 */
#ifndef TOPMOCK_CMICROHTTPD_SHIM_H
#define TOPMOCK_CMICROHTTPD_SHIM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <microhttpd.h>

/* The callback MHD_OPTION_URI_LOG_CALLBACK takes: its return value becomes the request's *req_cls. */
typedef void *(*topmock_mhd_uri_logger)(void *cls, const char *uri, struct MHD_Connection *connection);

/* Everything MHD_start_daemon needs from topmock, as one plain struct. */
struct topmock_mhd_settings {
    unsigned int flags;
    const struct sockaddr *bind_address; /* sockaddr_in or sockaddr_in6, with the port set */
    unsigned int thread_pool_size;       /* 0 or 1: a single internal polling thread */
    unsigned int connection_limit;
    unsigned int connection_timeout;     /* seconds of inactivity; 0 = none */
    size_t connection_memory_limit;      /* bytes per connection */
    unsigned int per_ip_connection_limit;/* 0 = unlimited */
};

/* Wraps the variadic MHD_start_daemon. The same cls reaches all three callbacks. */
static inline struct MHD_Daemon *
topmock_mhd_start_daemon(const struct topmock_mhd_settings *settings,
                         MHD_AccessHandlerCallback handler,
                         MHD_RequestCompletedCallback completed,
                         topmock_mhd_uri_logger uri_logger,
                         void *cls)
{
    uint16_t port = 0;
    if (settings->bind_address->sa_family == AF_INET6)
        port = ntohs(((const struct sockaddr_in6 *) settings->bind_address)->sin6_port);
    else
        port = ntohs(((const struct sockaddr_in *) settings->bind_address)->sin_port);
    return MHD_start_daemon(settings->flags, port, NULL, NULL, handler, cls,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, cls,
                            MHD_OPTION_URI_LOG_CALLBACK, uri_logger, cls,
                            MHD_OPTION_SOCK_ADDR, settings->bind_address,
                            MHD_OPTION_THREAD_POOL_SIZE, settings->thread_pool_size,
                            MHD_OPTION_CONNECTION_LIMIT, settings->connection_limit,
                            MHD_OPTION_CONNECTION_TIMEOUT, settings->connection_timeout,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, settings->connection_memory_limit,
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, settings->per_ip_connection_limit,
                            MHD_OPTION_END);
}

/* Wraps MHD_get_daemon_info(MHD_DAEMON_INFO_BIND_PORT): the port actually bound (for port 0). */
static inline uint16_t
topmock_mhd_bound_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

/* Wraps MHD_get_daemon_info(MHD_DAEMON_INFO_CURRENT_CONNECTIONS). */
static inline unsigned int
topmock_mhd_current_connections(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info == NULL ? 0 : info->num_connections;
}

/* Writes an IPv4 address (4 octets, network order) as dotted decimal and a NUL into `buffer`, which
   holds at least 16 bytes: the same text as inet_ntop, which glibc writes with sprintf. Every
   request formats its client address; with inet_ntop that took ~2,000 instructions, now ~330
   (callgrind, docs/benchmarks.md). */
static inline void
topmock_mhd_format_ipv4(const unsigned char *octets, char *buffer)
{
    for (int i = 0; i < 4; i++) {
        unsigned int value = octets[i];
        if (value >= 100) *buffer++ = (char) ('0' + value / 100);
        if (value >= 10) *buffer++ = (char) ('0' + value / 10 % 10);
        *buffer++ = (char) ('0' + value % 10);
        *buffer++ = i < 3 ? '.' : '\0';
    }
}

/* Wraps MHD_get_connection_info(MHD_CONNECTION_INFO_CLIENT_ADDRESS) and formats it as text.
   Returns 0 and an empty string when the address is unknown. */
static inline int
topmock_mhd_client_address(struct MHD_Connection *connection, char *buffer, size_t size)
{
    if (size == 0) return 0;
    buffer[0] = '\0';
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL) return 0;
    const struct sockaddr *address = info->client_addr;
    if (address->sa_family == AF_INET) {
        if (size < INET_ADDRSTRLEN) return 0;
        topmock_mhd_format_ipv4((const unsigned char *) &((const struct sockaddr_in *) address)->sin_addr, buffer);
        return 1;
    }
    if (address->sa_family == AF_INET6) {
        return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *) address)->sin6_addr, buffer, (socklen_t) size) != NULL;
    }
    return 0;
}

/* Resets the connection now: a TCP RST to the peer. libmicrohttpd 0.9.75 shuts the socket down for
   writing (a FIN) before it closes it, so SO_LINGER alone cannot produce an RST; connect() with
   AF_UNSPEC disconnects an established TCP socket with an RST (Linux tcp_disconnect) and leaves the
   descriptor valid for libmicrohttpd to close as usual. Wraps
   MHD_get_connection_info(MHD_CONNECTION_INFO_CONNECTION_FD). Returns 0 on failure. */
static inline int
topmock_mhd_reset_connection(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info == NULL) return 0;
    struct linger linger = { 1, 0 };
    (void) setsockopt(info->connect_fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    struct sockaddr unspecified;
    memset(&unspecified, 0, sizeof unspecified);
    unspecified.sa_family = AF_UNSPEC;
    return connect(info->connect_fd, &unspecified, sizeof unspecified) == 0;
}

/* A response that declares `declared` bytes but sends only the first `size` of `bytes`, then
   fails the connection (MHD_CONTENT_READER_END_WITH_ERROR): a truncated body. */
struct topmock_mhd_truncated { size_t size; char bytes[]; };

static inline ssize_t
topmock_mhd_truncated_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct topmock_mhd_truncated *body = cls;
    if (pos >= body->size) return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t left = body->size - (size_t) pos;
    size_t n = left < max ? left : max;
    memcpy(buf, body->bytes + pos, n);
    return (ssize_t) n;
}

static inline struct MHD_Response *
topmock_mhd_response_truncated(uint64_t declared, size_t size, const void *bytes)
{
    struct topmock_mhd_truncated *body = malloc(sizeof *body + (size == 0 ? 1 : size));
    if (body == NULL) return NULL;
    body->size = size;
    if (size > 0) memcpy(body->bytes, bytes, size);
    struct MHD_Response *response =
        MHD_create_response_from_callback(declared, 4096, &topmock_mhd_truncated_reader, body, &free);
    if (response == NULL) free(body);
    return response;
}

/* Creates a response that owns a malloc'd copy of the body (freed by libmicrohttpd with free()). */
static inline struct MHD_Response *
topmock_mhd_response_copying(size_t size, const void *bytes)
{
    void *copy = malloc(size == 0 ? 1 : size);
    if (copy == NULL) return NULL;
    if (size > 0) memcpy(copy, bytes, size);
    struct MHD_Response *response = MHD_create_response_from_buffer_with_free_callback(size, copy, &free);
    if (response == NULL) free(copy);
    return response;
}

#endif
