# frozen_string_literal: true

# One engine, many ecosystems: Ruby submits three executions, a LuaJIT worker
# (another process, another runtime) works them, Ruby waits for the results.
#   ruby -Ibindings/ruby/lib bindings/ruby/examples/polyglot.rb
# (FF_URL, else the embedded server; `make demo` runs it.)
require "flowfabric"

root = File.expand_path("../../..", __dir__)
lane = "polyglot-rb-#{Process.pid}"
FlowFabric.connect do |ff|
  ids = %w[alpha beta gamma].map { |word| ff.submit("polyglot", word, lane: lane) }
  puts "ruby: submitted #{ids.size} executions on #{lane} (#{ff.url})"
  lua_path = "#{root}/bindings/luajit/?.lua;#{root}/bindings/luajit/?/init.lua;;"
  pid = spawn({ "LUA_PATH" => lua_path }, "luajit", "#{root}/bindings/luajit/examples/worker.lua", lane, ids.size.to_s)
  ids.each { |id| puts "ruby: #{id} -> #{ff.wait(id, timeout: 60)}" }
  Process.wait(pid)
  abort("ruby: the LuaJIT worker failed") unless $?.success?
end
