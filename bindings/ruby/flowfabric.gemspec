# frozen_string_literal: true

# The gem carries the Ruby layer; libflowfabric comes from FF_LIBRARY, from a
# copy placed at lib/flowfabric/libflowfabric.so.0 before `gem build`
# (`make ruby-gem` does that), or from the system's library path.
Gem::Specification.new do |s|
  header = File.read(File.expand_path("../../include/flowfabric/version.h", __dir__))
  s.name = "flowfabric"
  s.version = %w[MAJOR MINOR PATCH].map { |part| header[/FF_VERSION_#{part} (\d+)/, 1] }.join(".")
  s.summary = "FlowFabric durable job engine: Ruby client and claims over libflowfabric"
  s.authors = ["FlowFabric"]
  s.required_ruby_version = ">= 3.0"
  s.files = Dir.glob("lib/**/*.rb", base: __dir__) + Dir.glob("lib/flowfabric/libflowfabric.so*", base: __dir__)
  s.require_paths = ["lib"]
  s.add_runtime_dependency "ffi", "~> 1.15"
end
