#ifndef TOPMOCK_CYAML_SHIM_H
#define TOPMOCK_CYAML_SHIM_H
#include <yaml.h>
#endif
