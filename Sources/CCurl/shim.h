/* libcurl's header (Debian's libcurl4-gnutls-dev), as one module. The library is not linked: the
   CCurlShim target dlopens it on first use. */
#ifndef TOPMOCK_CCURL_SHIM_H
#define TOPMOCK_CCURL_SHIM_H
#include <curl/curl.h>
#endif
