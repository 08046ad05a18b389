# frozen_string_literal: true

require_relative "test_helper"

class TestClient < FlowFabricTest
  def test_submit_describe_claim_complete_result
    eid = client.submit("rb.echo", "hello", lane: lane, priority: 5, tags: { "who" => "ruby" })
    snap = client.describe(eid)
    assert_equal "waiting", snap["public_state"]
    assert_equal 5, snap["priority"]
    assert_equal({ "who" => "ruby" }, snap["tags"])
    cl = claim_one
    assert_equal eid, cl.execution_id
    assert_equal "hello", cl.payload
    assert_equal "rb.echo", cl.kind
    assert_equal "active", client.state(eid)
    cl.complete("done")
    assert_equal "done", client.result(eid)
    assert_equal "completed", client.state(eid)
  end

  def test_bytes_are_bytes
    blob = (0..255).map(&:chr).join.b * 3
    eid = client.submit("rb.bin", blob, lane: lane)
    cl = claim_one
    assert_equal blob, cl.payload
    assert_equal Encoding::BINARY, cl.payload.encoding
    cl.complete(blob.reverse)
    assert_equal blob.reverse, client.result(eid)
  end

  def test_wait_returns_the_result_and_raises_how_it_ended
    ok = client.submit("rb.w", "", lane: lane)
    waiter = Thread.new { client.wait(ok, timeout: 60) }
    claim_one.complete("r1")
    assert_equal "r1", waiter.value
    bad = client.submit("rb.w", "", lane: lane)
    claim_one.fail("boom", retryable: false)
    err = assert_raises(FlowFabric::ExecutionFailed) { client.wait(bad) }
    assert_match(/FF_EXECUTION_FAILED/, err.message)
    assert_raises(FlowFabric::ExecutionFailed) { client.result(bad) }
  end

  def test_wait_times_out
    eid = client.submit("rb.w", "", lane: lane)
    assert_raises(FlowFabric::Timeout) { client.wait(eid, timeout: 0.2) }
  end

  def test_cancel_and_replay
    eid = client.submit("rb.c", "", lane: lane)
    assert_equal "cancelled", client.cancel(eid, reason: "test")
    assert_raises(FlowFabric::ExecutionCancelled) { client.result(eid) }
    assert_equal "waiting", client.replay(eid)
    assert_equal "waiting", client.state(eid)
  end

  def test_fail_retry_policy
    eid = client.submit("rb.r", "", lane: lane,
                                    retry_policy: { max_retries: 1, backoff: "fixed", initial: 0.001 })
    assert_equal "retry_scheduled", claim_one.fail("first", category: "transient")
    cl = nil
    cl = client.claim([lane]).first until cl
    assert_equal 1, cl.attempt_index
    cl.complete("second")
    assert_equal "second", client.result(eid)
  end

  def test_bad_input_raises_a_typed_error_and_writes_nothing
    err = assert_raises(FlowFabric::InvalidArgument) { client.submit("k", "", lane: "bad\nlane") }
    assert_match(/lane/, err.message)
    assert_raises(FlowFabric::InvalidArgument) { client.submit("k", "", lane: lane, delay: Float::INFINITY) }
    assert_raises(FlowFabric::InvalidInput) { client.describe("not-an-id") }
    assert_equal 0, client.lane_counts(lane).values.sum
  end

  def test_idempotency_key_returns_the_first_execution
    a = client.submit("rb.i", "", lane: lane, idempotency_key: "once")
    b = client.submit("rb.i", "", lane: lane, idempotency_key: "once")
    assert_equal a, b
    assert_equal 1, client.lane_counts(lane)["waiting"]
  end

  def test_listing_and_priority
    ids = 3.times.map { |i| client.submit("rb.l", i.to_s, lane: lane) }
    assert_equal ids.sort, client.list_lane(lane, "waiting", count: 2).to_a.sort
    assert_includes client.lanes, lane
    assert_equal 0, client.change_priority(ids[0], 7)
    assert_equal 7, client.describe(ids[0])["priority"]
  end

  def test_revoke_names_the_revoked_lease
    eid = client.submit("rb.v", "", lane: lane)
    cl = claim_one
    rev = client.revoke_lease(eid)
    assert_equal({ outcome: "revoked", lease_id: cl.lease_id, lease_epoch: cl.lease_epoch }, rev)
    assert_raises(FlowFabric::LeaseRevoked) { cl.complete("late") }
  end

  def test_many_threads_share_one_client
    ids = Queue.new
    producers = 8.times.map do |t|
      Thread.new { 25.times { |i| ids << client.submit("rb.t", "#{t}-#{i}", lane: lane) } }
    end
    producers.each(&:join)
    assert_equal 200, ids.size
    assert_equal 200, client.lane_counts(lane)["waiting"]
    done = 0
    while done < 200
      client.claim([lane], batch: 50).each { |c| c.complete(c.payload) && done += 1 }
    end
    id = ids.pop
    refute_empty client.result(id)
  end

  def test_a_forked_child_uses_its_own_connection
    client.submit("rb.f", "parent", lane: lane)
    pid = fork do
      eid = client.submit("rb.f", "child", lane: lane)
      exit!(client.state(eid) == "waiting" ? 0 : 1)
    end
    Process.wait(pid)
    assert_predicate $?, :success?
    assert_equal 2, client.lane_counts(lane)["waiting"]
  end

  def test_a_fiber_scheduler_runs_other_fibers_while_a_call_waits
    require "async" # Debian's ruby-async: a Fiber scheduler
    order = []
    id = client.submit("rb.fiber", "", lane: lane)
    Async do |task|
      task.async { order << "waited #{client.wait(id, timeout: 30)}" }
      task.async do
        order << "another fiber ran while the wait was pending"
        claim_one.complete("done") # its own calls work meanwhile
      end
    end
    assert_equal ["another fiber ran while the wait was pending", "waited done"], order
  end

  def test_closed_client_raises
    c = FlowFabric.connect(TestServer.url)
    c.close
    assert_raises(FlowFabric::TransportError) { c.lanes }
    c.close
  end

  def test_url_is_redacted_and_connect_block_closes
    seen = nil
    FlowFabric.connect(TestServer.url) { |c| seen = c; assert_match(%r{\Aredis://}, c.url) }
    assert_predicate seen, :closed?
  end
end
