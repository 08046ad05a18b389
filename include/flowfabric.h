/*
 * FlowFabric - durable execution engine on Valkey/Redis.
 * Umbrella header: include this one. Anything not declared under include/ is
 * not API. The ABI promise is in docs/abi.md.
 */
#ifndef FLOWFABRIC_H
#define FLOWFABRIC_H

#include "flowfabric/common.h"
#include "flowfabric/version.h"
#include "flowfabric/status.h"
#include "flowfabric/client.h"
#include "flowfabric/items.h"
#include "flowfabric/execution.h"
#include "flowfabric/lease.h"
#include "flowfabric/reclaim.h"
#include "flowfabric/admin.h"
#include "flowfabric/signal.h"
#include "flowfabric/secret.h"
#include "flowfabric/flow.h"
#include "flowfabric/stream.h"
#include "flowfabric/budget.h"
#include "flowfabric/quota.h"
#include "flowfabric/workers.h"
#include "flowfabric/lanes.h"
#include "flowfabric/engine.h"
#include "flowfabric/worker.h"
/* operator-level calls, weaker promise (docs/abi.md) */
#include "flowfabric/sys/health.h"

#endif
