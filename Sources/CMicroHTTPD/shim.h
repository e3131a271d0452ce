/* libmicrohttpd's header, as one module for Swift. topmock's own C (wrappers for the variadic
   calls, the client address's text, the connection reset, the truncated body) is in the
   CMicroHTTPDShim target. */
#ifndef TOPMOCK_CMICROHTTPD_SHIM_H
#define TOPMOCK_CMICROHTTPD_SHIM_H
#include <microhttpd.h>
#endif
