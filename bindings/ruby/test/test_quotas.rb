# frozen_string_literal: true

require_relative "test_helper"

# Quotas and groups from Ruby: create (idempotent), describe per group, the
# per-group cap, pause/resume, and Task#rate_limited. Every pause is ended
# by resume_group: nothing is timed.
class TestQuotas < FlowFabricTest
  def qid = "rbq-#{SecureRandom.hex(6)}"

  def test_create_describe_and_the_cap_per_group
    id = qid
    made = client.create_quota(lane, id, concurrency: 1)
    assert made.created?
    assert made.same?
    again = client.create_quota(lane, id, rate: 5, window: 10)
    refute again.created?
    refute again.same?
    assert_equal [0, 0, 1], [again.rate, again.window_ms, again.concurrency]
    a1 = client.submit("rb.q", "", lane: lane, group: "a")
    a2 = client.submit("rb.q", "", lane: lane, group: "a")
    b1 = client.submit("rb.q", "", lane: lane, group: "b")
    got = client.claim([lane], batch: 3)
    assert_equal [a1, b1].sort, got.map(&:execution_id).sort
    assert_equal "rate_limited", client.state(a2)
    d = client.describe_quota(lane)
    assert_equal id, d["quota_id"]
    ga = d["groups"].find { |g| g["group"] == "a" }
    assert_equal [1, 1], [ga["holders"], ga["parked"]]
    assert_includes client.list_quotas, lane
    got.each { |c| c.complete("") }
    again = claim_one
    assert_equal a2, again.execution_id
    again.complete("")
  end

  def test_pause_resume_and_rate_limited
    eid = client.submit("rb.api", "", lane: lane, group: "acct")
    tries = 0
    w = FlowFabric::Worker.new(client, lanes: [lane], engine: false)
    w.task("rb.api") do |t|
      tries += 1
      next "ok" if tries > 1

      t.rate_limited(3600)
    end
    w.run(max_tasks: 1, handle_signals: false)
    assert_equal "rate_limited", client.state(eid)
    assert_equal 0, client.describe(eid)["counters"]["retry_count"].to_i
    assert client.pause_group(lane, "acct", 10) > 0 # the longer pause is kept
    assert client.resume_group(lane, "acct")
    refute client.resume_group(lane, "acct")
    w2 = FlowFabric::Worker.new(client, lanes: [lane], engine: false)
    w2.task("rb.api") { |_t| "ok" }
    w2.run(max_tasks: 1, handle_signals: false)
    assert_equal "ok", client.wait(eid, timeout: 30)
  end

  def test_bad_input_raises
    assert_raises(FlowFabric::InvalidArgument) { client.create_quota(lane, qid) }
    assert_raises(FlowFabric::InvalidArgument) { client.create_quota(lane, qid, rate: 5) }
    assert_raises(FlowFabric::InvalidArgument) { client.create_quota(lane, qid, rate: 5, window: 86_401) }
    assert_raises(FlowFabric::InvalidArgument) { client.submit("rb.q", "", lane: lane, group: "bad\u0001") }
    assert_raises(FlowFabric::InvalidArgument) { client.pause_group(lane, "g") }
    assert_nil client.describe_quota(lane)["quota_id"]
  end
end
