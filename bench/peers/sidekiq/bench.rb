# frozen_string_literal: true

# Sidekiq side of FlowFabric's benchmark comparison (system "sidekiq", the
# Ruby peer; Debian's ruby-sidekiq). Run by bench/run; by hand:
#   ruby bench.rb URL e2e CONC N | process CONC N
# Same semantics and JSON fields as bench/ff_bench.c and the BullMQ peer:
#   - CONC = Sidekiq concurrency (processor threads), a no-op job;
#   - producers keep BENCH_SUBMIT_WINDOW pushes in flight (threads, as
#     Sidekiq::Client.push is synchronous);
#   - each job carries its submit time; latency = submit -> perform done;
#   - Redis commands / CPU from INFO deltas around the measured interval.
# The server process is `sidekiq` itself (bin from the package), started with
# -r job.rb; the job counts completions in-process and writes one summary
# key when the last one is done, so counting adds no command per job.
# Sidekiq keeps no lease, result or per-job state: a SIGKILLed Sidekiq loses
# the jobs it had fetched (BRPOP), which FlowFabric does not.
# WARNING: point it only at a private, throw-away redis-server.
require "json"
require "redis"
require "sidekiq"

# Debian's redis-rb 4.8 warns on every SADD Sidekiq 6.4 sends (the return
# type changes in 5.0); Sidekiq ignores that return value.
Redis.sadd_returns_boolean = false if Redis.respond_to?(:sadd_returns_boolean=)
require "rbconfig"

SYSTEM = "sidekiq"
url, scen, conc_s, n_s = ARGV
abort("usage: ruby bench.rb URL e2e CONC N | process CONC N") unless url && %w[e2e process].include?(scen) && n_s
CONC = Integer(conc_s)
N = Integer(n_s)
PAYLOAD = "x" * Integer(ENV.fetch("BENCH_PAYLOAD", "4096"))
WINDOW = Integer(ENV.fetch("BENCH_SUBMIT_WINDOW", "128"))
HERE = __dir__

Sidekiq.configure_client { |c| c.redis = { url: url, size: [WINDOW, 8].max } }
admin = Redis.new(url: url)

def now_ms = Process.clock_gettime(Process::CLOCK_REALTIME, :float_millisecond)

def snap(admin)
  info = admin.info
  { cmds: info["total_commands_processed"].to_f,
    cpu_us: (info["used_cpu_user"].to_f + info["used_cpu_sys"].to_f) * 1e6 }
end

def pct(arr, q)
  return nil if arr.nil? || arr.empty?

  s = arr.sort
  rank = (q * s.size).ceil.clamp(1, s.size)
  s[rank - 1].round(3)
end

def produce(n, stamp)
  next_i = 0
  mutex = Mutex.new
  threads = [WINDOW, n].min.times.map do
    Thread.new do
      loop do
        i = mutex.synchronize { next_i += 1 }
        break if i > n

        Sidekiq::Client.push("class" => "BenchJob", "queue" => "bench", "args" => [stamp ? now_ms : 0, PAYLOAD],
                             "retry" => false)
      end
    end
  end
  threads.each(&:join)
end

def start_sidekiq(url, n, record_latency)
  env = { "REDIS_URL" => url, "BENCH_N" => n.to_s, "BENCH_LAT" => record_latency ? "1" : "0" }
  pid = spawn(env, "sidekiq", "-r", File.join(HERE, "job.rb"), "-c", CONC.to_s, "-q", "bench", "-e", "production",
              out: File::NULL, err: File::NULL)
  pid
end

def wait_ready(admin)
  200.times do
    return if admin.scard("processes").positive?

    sleep 0.05
  end
  abort("sidekiq did not start")
end

def wait_done(admin)
  loop do
    doc = admin.get("bench:done")
    return JSON.parse(doc) if doc

    sleep 0.002
  end
end

admin.flushall
redis_version = admin.info["redis_version"]
if scen == "process"
  ts = now_ms
  produce(N, false)
  seed_ms = now_ms - ts
  s0 = snap(admin)
  t0 = now_ms
  pid = start_sidekiq(url, N, false)
  done = wait_done(admin)
  s1 = snap(admin)
  # measured from the first job's start: Sidekiq's boot (a Ruby process) is not counted
  elapsed = done["last_ms"] - done["first_ms"]
  lat = nil
  note = "sidekiq #{Sidekiq::VERSION} (Debian ruby-sidekiq), concurrency #{CONC}, no-op job, retry false; " \
         "started after #{N} pushes; elapsed = first perform start -> last perform end (boot excluded)"
  extra = { "seed_per_s" => (N / (seed_ms / 1000.0)).round }
  _ = t0
else
  pid = start_sidekiq(url, N, true)
  wait_ready(admin)
  sleep 0.2
  s0 = snap(admin)
  t0 = now_ms
  produce(N, true)
  t_sub = now_ms
  done = wait_done(admin)
  s1 = snap(admin)
  elapsed = done["last_ms"] - t0
  lat = done["lat"]
  note = "sidekiq #{Sidekiq::VERSION} (Debian ruby-sidekiq), concurrency #{CONC}, no-op job, retry false; producer keeps " \
         "#{WINDOW} pushes in flight (threads); latency = push start -> perform end"
  extra = { "submit_window" => WINDOW, "submit_ms" => (t_sub - t0).round(1) }
end
Process.kill("TERM", pid)
Process.wait(pid)
out = {
  "scenario" => scen == "e2e" ? "s1-e2e" : "s1-process", "system" => SYSTEM, "concurrency" => CONC, "jobs" => N,
  "throughput_per_s" => (N / (elapsed / 1000.0)).round,
  "p50_ms" => pct(lat, 0.5), "p95_ms" => pct(lat, 0.95), "p99_ms" => pct(lat, 0.99),
  "redis_cmds_per_job" => ((s1[:cmds] - s0[:cmds] - 1) / N).round(2),
  "redis_cpu_us_per_job" => ((s1[:cpu_us] - s0[:cpu_us]) / N).round(2),
  "client_cpu_us_per_job" => nil,
  "elapsed_ms" => elapsed.round(1), "redis_version" => redis_version, "note" => note,
  "payload_bytes" => PAYLOAD.bytesize
}.merge(extra)
puts JSON.generate(out)
