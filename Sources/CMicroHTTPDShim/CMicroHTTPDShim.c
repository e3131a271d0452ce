#include "CMicroHTTPDShim.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

struct MHD_Daemon *
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

uint16_t
topmock_mhd_bound_port(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

unsigned int
topmock_mhd_current_connections(struct MHD_Daemon *daemon)
{
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info == NULL ? 0 : info->num_connections;
}

void
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

int
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

int
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

/* A truncated body: the bytes that are sent. */
struct topmock_mhd_truncated { size_t size; char bytes[]; };

static ssize_t
topmock_mhd_truncated_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct topmock_mhd_truncated *body = cls;
    if (pos >= body->size) return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t left = body->size - (size_t) pos;
    size_t n = left < max ? left : max;
    memcpy(buf, body->bytes + pos, n);
    return (ssize_t) n;
}

struct MHD_Response *
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

struct MHD_Response *
topmock_mhd_response_copying(size_t size, const void *bytes)
{
    void *copy = malloc(size == 0 ? 1 : size);
    if (copy == NULL) return NULL;
    if (size > 0) memcpy(copy, bytes, size);
    struct MHD_Response *response = MHD_create_response_from_buffer_with_free_callback(size, copy, &free);
    if (response == NULL) free(copy);
    return response;
}
