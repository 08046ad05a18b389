# frozen_string_literal: true

module FlowFabric
  # Finds libflowfabric before the generated Native module binds it.
  module Loader
    SONAME = "libflowfabric.so.0"

    # FF_LIBRARY (an explicit path), else the copy bundled in the gem, else a
    # build tree next to the sources (a checkout), else the system's.
    def self.library_path
      explicit = ENV["FF_LIBRARY"]
      return explicit if explicit && !explicit.empty?

      here = __dir__
      [File.join(here, SONAME),
       File.expand_path("../../../../build/#{SONAME}", here)].each do |path|
        return path if File.exist?(path)
      end
      SONAME
    end

    # Raises LoadError unless the loaded library speaks the ABI the
    # declarations were generated for (called by the generated Native).
    def self.check_abi(loaded, expected)
      return if loaded == expected

      raise LoadError, "flowfabric: #{library_path} has C ABI #{loaded}, this gem was generated for " \
                       "ABI #{expected} (install matching versions, or set FF_LIBRARY)"
    end
  end
end
