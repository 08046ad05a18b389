# frozen_string_literal: true

# Works N executions of kind "polyglot" on LANE, then exits:
#   ruby -Ibindings/ruby/lib bindings/ruby/examples/worker.rb LANE N
# (FF_URL, else the embedded server). Used by the LuaJIT polyglot demo.
require "flowfabric"

lane, n = ARGV[0], Integer(ARGV[1] || "1")
FlowFabric.connect do |ff|
  worker = FlowFabric::Worker.new(ff, lanes: [lane], concurrency: 2, engine: false)
  worker.task("polyglot") { |task| "Ruby #{RUBY_VERSION} worked on '#{task.payload}'" }
  worker.run(max_tasks: n)
end
