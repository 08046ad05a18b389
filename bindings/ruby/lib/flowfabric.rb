# frozen_string_literal: true

# FlowFabric for Ruby: the durable job engine's client and claim API over
# libflowfabric (ruby-ffi). The FFI declarations and the error classes are
# generated from the C headers and the status table (bindings/gen/gen_ruby.py);
# this layer is written once on top of them.
require "ffi"
require_relative "flowfabric/loader"
require_relative "flowfabric/native"
require_relative "flowfabric/error"
require_relative "flowfabric/error_classes"

module FlowFabric
  VERSION = Native.ff_version_string.read_string
end

require_relative "flowfabric/dispatcher"
require_relative "flowfabric/client"
require_relative "flowfabric/flows"
require_relative "flowfabric/claim"
require_relative "flowfabric/worker"
require_relative "flowfabric/streams"
require_relative "flowfabric/budgets"
require_relative "flowfabric/quotas"
require_relative "flowfabric/lanes"
