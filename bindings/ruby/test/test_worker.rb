# frozen_string_literal: true

require_relative "test_helper"

class TestWorker < FlowFabricTest
  def worker(**kw)
    FlowFabric::Worker.new(client, lanes: [lane], engine: false, **kw)
  end

  def test_handlers_complete_and_fail_their_tasks
    ok = 6.times.map { |i| client.submit("rb.ok", "p#{i}", lane: lane) }
    boom = client.submit("rb.boom", "", lane: lane)
    final = client.submit("rb.final", "", lane: lane)
    w = worker(concurrency: 4)
    w.task("rb.ok") { |t| "done-#{t.payload}" }
    w.task("rb.boom") { |_t| raise ArgumentError, "bad" }
    w.task("rb.final") { |_t| raise FlowFabric::TaskFailed.new("permanent", category: "input", retryable: false) }
    w.run(max_tasks: 8, handle_signals: false)
    ok.each_with_index { |id, i| assert_equal "done-p#{i}", client.result(id) }
    snap = client.describe(boom)
    assert_includes %w[failed waiting delayed], snap["public_state"]
    assert_equal "ArgumentError: bad", snap["attempts"][0]["failure_reason"]
    err = assert_raises(FlowFabric::ExecutionFailed) { client.result(final) }
    assert_equal "input", client.describe(final)["failure"]["category"], err.message
    assert_equal({ completed: 6, failed: 2, finished: 8 }, w.stats)
  end

  def test_a_kind_without_handler_is_failed_as_no_handler
    id = client.submit("rb.unknown", "", lane: lane)
    w = worker
    w.task("rb.other") { "x" }
    w.run(max_tasks: 1, handle_signals: false)
    assert_equal "no_handler", client.describe(id)["attempts"][0]["failure_category"]
  end

  def test_the_lease_is_renewed_while_a_handler_holds_the_gvl
    id = client.submit("rb.busy", "", lane: lane)
    w = worker(lease_ttl: 1)
    w.task("rb.busy") do |_t|
      stop_at = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 2.5
      x = 0
      x += 1 while Process.clock_gettime(Process::CLOCK_MONOTONIC) < stop_at # CPU-bound, never yields the GVL
      "survived #{x.positive?}"
    end
    w.run(max_tasks: 1, handle_signals: false)
    assert_equal "survived true", client.result(id)
    assert_equal 1, client.describe(id)["counters"]["total_attempts"]
  end

  def test_sigterm_stops_gracefully_and_idle_timeout_ends_a_run
    w = worker
    w.task("rb.never") { "x" }
    w.run(idle_timeout: 0.3, handle_signals: false)
    assert_equal 0, w.stats[:finished]
    id = client.submit("rb.slow", "", lane: lane)
    started = Queue.new
    w2 = worker
    w2.task("rb.slow") { started << true; sleep 0.3; "finished despite TERM" }
    killer = Thread.new { started.pop; Process.kill("TERM", Process.pid) }
    w2.run
    killer.join
    assert_equal "finished despite TERM", client.result(id)
  end

  def test_suspend_on_a_waitpoint_and_resume_on_a_signal
    id = client.submit("rb.approve", "order-7", lane: lane)
    tokens = Queue.new
    seen = 0
    w = worker
    w.task("rb.approve") do |t|
      seen += 1
      if seen == 1
        begin
          tokens << t.suspend("approval", reason: "waiting_for_approval")
        rescue StandardError => e
          tokens << e # the test thread must not wait for a push that never comes
          raise
        end
        nil
      else
        "approved #{t.payload}"
      end
    end
    runner = Thread.new { w.run(max_tasks: 2, handle_signals: false) }
    s = tokens.pop
    raise s if s.is_a?(Exception)
    assert_equal "suspended", s[:outcome]
    wp = s[:waitpoints].first
    assert_equal "approval", wp[:key]
    listed = client.waitpoints(id)
    assert_equal [wp[:id]], listed.map { |x| x[:id] }
    refute(listed.first.value?(wp[:token]), "listing never shows the token")
    assert_equal "suspended", client.state(id)
    assert_raises(FlowFabric::InvalidToken) { client.signal(id, wp[:id], "0" * 40, "approved") }
    client.signal(id, wp[:id], wp[:token], "approved", payload: "ok")
    runner.join
    assert_equal "approved order-7", client.result(id)
    assert_equal({ completed: 1, suspended: 1, finished: 2 }, w.stats)
  end

  def test_secret_rotation
    kid = "k#{SecureRandom.hex(3)}"
    assert_equal "rotated", client.rotate_secret(kid, grace: 60)
    assert_equal kid, client.secrets["current_kid"]
    assert_raises(FlowFabric::InvalidInput) { client.rotate_secret("bad kid!") }
  end

  def test_no_handler_registered_is_refused
    assert_raises(FlowFabric::InvalidArgument) { worker.run(handle_signals: false) }
  end
end
