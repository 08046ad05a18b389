#!lua name=flowfabric
-- FlowFabric server function library.
-- Built by lua/build.sh from the files listed in lua/manifest.txt; the
-- contract (keys, fields, KEYS/ARGV, replies, error tokens) is lua/README.md.
-- Helpers are grouped in a few local tables (U, K, V, P, N, S, F, X, W) so no
-- function exceeds Lua 5.1's upvalue limit and the main chunk stays far
-- below its local-variable limit.

local FF_LIB_VERSION = "3"
