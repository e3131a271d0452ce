/*
 * Non-variadic wrappers around libmicrohttpd, for Swift (which does not import C-variadic
 * functions), and the few things topmock does to a connection that libmicrohttpd has no call for.
 * Every symbol is prefixed topmock_mhd_. Only Sources/TopMockHTTP/Internal uses this.
 */
#ifndef TOPMOCK_CMICROHTTPDSHIM_H
#define TOPMOCK_CMICROHTTPDSHIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
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
struct MHD_Daemon *topmock_mhd_start_daemon(const struct topmock_mhd_settings *settings,
                         MHD_AccessHandlerCallback handler,
                         MHD_RequestCompletedCallback completed,
                         topmock_mhd_uri_logger uri_logger,
                         void *cls);

/* Wraps MHD_get_daemon_info(MHD_DAEMON_INFO_BIND_PORT): the port actually bound (for port 0). */
uint16_t topmock_mhd_bound_port(struct MHD_Daemon *daemon);

/* Wraps MHD_get_daemon_info(MHD_DAEMON_INFO_CURRENT_CONNECTIONS). */
unsigned int topmock_mhd_current_connections(struct MHD_Daemon *daemon);

/* Writes an IPv4 address (4 octets, network order) as dotted decimal and a NUL into `buffer`, which
   holds at least 16 bytes: the same text as inet_ntop, which glibc writes with sprintf. Every
   request formats its client address; a digit loop, not inet_ntop, whose sprintf
   dominated the cost of that. */
void topmock_mhd_format_ipv4(const unsigned char *octets, char *buffer);

/* Wraps MHD_get_connection_info(MHD_CONNECTION_INFO_CLIENT_ADDRESS) and formats it as text.
   Returns 0 and an empty string when the address is unknown. */
int topmock_mhd_client_address(struct MHD_Connection *connection, char *buffer, size_t size);

/* Resets the connection now: a TCP RST to the peer. libmicrohttpd 0.9.75 shuts the socket down for
   writing (a FIN) before it closes it, so SO_LINGER alone cannot produce an RST; connect() with
   AF_UNSPEC disconnects an established TCP socket with an RST (Linux tcp_disconnect) and leaves the
   descriptor valid for libmicrohttpd to close as usual. Wraps
   MHD_get_connection_info(MHD_CONNECTION_INFO_CONNECTION_FD). Returns 0 on failure. */
int topmock_mhd_reset_connection(struct MHD_Connection *connection);

/* A response that declares `declared` bytes but sends only the first `size` of `bytes`, then
   fails the connection (MHD_CONTENT_READER_END_WITH_ERROR): a truncated body. */
struct MHD_Response *topmock_mhd_response_truncated(uint64_t declared, size_t size, const void *bytes);

/* Creates a response that owns a malloc'd copy of the body (freed by libmicrohttpd with free()). */
struct MHD_Response *topmock_mhd_response_copying(size_t size, const void *bytes);

#endif
