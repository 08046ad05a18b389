# frozen_string_literal: true

# The no-op job of the Sidekiq peer (loaded by `sidekiq -r`). Completions are
# counted in-process; the last one writes the summary key bench:done that
# bench.rb waits for (one command per run, none per job).
require "json"
require "sidekiq"

# Debian's redis-rb 4.8 warns on every SADD Sidekiq 6.4 sends (the return
# type changes in 5.0); Sidekiq ignores that return value.
Redis.sadd_returns_boolean = false if Redis.respond_to?(:sadd_returns_boolean=)

Sidekiq.configure_server { |c| c.redis = { url: ENV.fetch("REDIS_URL") } }

module BenchCount
  N = Integer(ENV.fetch("BENCH_N"))
  RECORD = ENV["BENCH_LAT"] == "1"
  MUTEX = Mutex.new
  STATE = { done: 0, first_ms: nil, lat: [] }

  def self.now_ms = Process.clock_gettime(Process::CLOCK_REALTIME, :float_millisecond)

  def self.started
    MUTEX.synchronize { STATE[:first_ms] ||= now_ms }
  end

  def self.finished(submitted_ms)
    t = now_ms
    last = MUTEX.synchronize do
      STATE[:lat] << (t - submitted_ms) if RECORD
      (STATE[:done] += 1) == N
    end
    return unless last

    doc = { first_ms: STATE[:first_ms], last_ms: t, lat: RECORD ? STATE[:lat] : nil }
    Sidekiq.redis { |r| r.set("bench:done", JSON.generate(doc)) }
  end
end

class BenchJob
  include Sidekiq::Worker

  def perform(submitted_ms, _payload)
    BenchCount.started
    BenchCount.finished(submitted_ms)
  end
end
