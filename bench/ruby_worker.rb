# frozen_string_literal: true

# Ruby side of FlowFabric's benchmarks (system "flowfabric-ruby"): the gem's
# Worker (pull mode, CONC Ruby threads) with a no-op handler, same JSON
# fields as bench/ff_bench.c and the peers. By hand:
#   ruby -Ibindings/ruby/lib bench/ruby_worker.rb URL process CONC N | e2e CONC N
# WARNING: it writes to the server: use a throw-away redis-server.
require "json"
require "redis"
require "flowfabric"

url, scen, conc_s, n_s = ARGV
abort("usage: ruby_worker.rb URL process CONC N | e2e CONC N") unless url && %w[process e2e].include?(scen) && n_s
CONC = Integer(conc_s)
N = Integer(n_s)
PAYLOAD = "x" * Integer(ENV.fetch("BENCH_PAYLOAD", "4096"))
WINDOW = Integer(ENV.fetch("BENCH_SUBMIT_WINDOW", "128"))
LANE = "bench"

def now_ms = Process.clock_gettime(Process::CLOCK_REALTIME, :float_millisecond)

def snap(admin)
  info = admin.info
  { cmds: info["total_commands_processed"].to_f, cpu_us: (info["used_cpu_user"].to_f + info["used_cpu_sys"].to_f) * 1e6 }
end

def pct(arr, q)
  return nil if arr.nil? || arr.empty?

  s = arr.sort
  s[(q * s.size).ceil.clamp(1, s.size) - 1].round(3)
end

# Keep WINDOW submits in flight (threads: each call waits for its answer).
def produce(client, n, stamp)
  next_i = 0
  mutex = Mutex.new
  [WINDOW, n].min.times.map do
    Thread.new do
      loop do
        i = mutex.synchronize { next_i += 1 }
        break if i > n

        body = stamp ? "#{now_ms}|" + PAYLOAD : PAYLOAD
        client.submit("j", body, lane: LANE)
      end
    end
  end.each(&:join)
end

def cpu_us = Process.clock_gettime(Process::CLOCK_PROCESS_CPUTIME_ID, :microsecond)

admin = Redis.new(url: url)
client = FlowFabric.connect(url)
lat = scen == "e2e" ? [] : nil
lat_mutex = Mutex.new
worker = FlowFabric::Worker.new(client, lanes: [LANE], concurrency: CONC, engine: false)
worker.task("j") do |t|
  if lat
    submitted = t.payload[0, t.payload.index("|")].to_f
    d = now_ms - submitted
    lat_mutex.synchronize { lat << d }
  end
  nil
end
extra = {}
if scen == "process"
  ts = now_ms
  produce(client, N, false)
  extra["seed_per_s"] = (N / ((now_ms - ts) / 1000.0)).round
end
s0 = snap(admin)
c0 = cpu_us
t0 = now_ms
runner = Thread.new { worker.run(max_tasks: N, handle_signals: false) }
produce(client, N, true) if scen == "e2e"
t_sub = now_ms
sleep 0.001 while worker.stats[:finished] < N
t1 = now_ms
s1 = snap(admin)
ccpu = cpu_us - c0
runner.join
client.close
extra["submit_window"] = WINDOW if scen == "e2e"
extra["submit_ms"] = (t_sub - t0).round(1) if scen == "e2e"
out = {
  "scenario" => scen == "e2e" ? "s1-e2e" : "s1-process", "system" => "flowfabric-ruby", "concurrency" => CONC,
  "jobs" => N, "throughput_per_s" => (N / ((t1 - t0) / 1000.0)).round,
  "p50_ms" => pct(lat, 0.5), "p95_ms" => pct(lat, 0.95), "p99_ms" => pct(lat, 0.99),
  "redis_cmds_per_job" => ((s1[:cmds] - s0[:cmds] - 1) / N).round(2),
  "redis_cpu_us_per_job" => ((s1[:cpu_us] - s0[:cpu_us]) / N).round(2),
  "client_cpu_us_per_job" => (ccpu / N.to_f).round(2), "elapsed_ms" => (t1 - t0).round(1),
  "note" => "flowfabric gem Worker (pull mode, #{CONC} Ruby threads, no-op handler, engine off); " \
            "#{scen == 'e2e' ? "producer keeps #{WINDOW} submits in flight (threads); latency = submit -> handler" : 'started after the seed'}",
  "payload_bytes" => PAYLOAD.bytesize
}.merge(extra)
puts JSON.generate(out)
