/* glasstcp: a user-space TCP/IP stack. Include this one header. */
#ifndef GLASSTCP_H
#define GLASSTCP_H

#include <glasstcp/stack.h>
#include <glasstcp/socket.h>
#include <glasstcp/stats.h>

#define GLASSTCP_VERSION "0.1.0"

#endif
