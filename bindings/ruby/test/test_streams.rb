# frozen_string_literal: true

require_relative "test_helper"

# Output streams from Ruby (docs/streams.md): append / read / tail /
# summary, follow across a retry, and the worker's task.log / emit / summary.
class TestStreams < FlowFabricTest
  BINARY = "\x00\xffraw\x00".b

  def running
    eid = client.submit("rb.stream", "", lane: lane)
    [eid, claim_one]
  end

  def test_round_trip_every_field_binary_payload_and_paging
    eid, cl = running
    done = cl.append_frame("tokens", BINARY, encoding: "raw", source: "model", correlation_id: "req-1")
    assert_equal 1, done.frame_count
    assert_nil done.summary_version
    4.times { |i| cl.append_frame("n", i.to_s) }
    f = client.read_stream(eid).frames.first
    assert_equal [done.entry_id, "tokens", BINARY, "raw", "model", "req-1", "durable", 0],
                 [f.id, f.frame_type, f.payload, f.encoding, f.source, f.correlation_id, f.mode, f.attempt]
    assert_equal Integer(f.id.split("-").first), f.ts_ms
    seen = []
    cursor = ""
    loop do
      page = client.read_stream(eid, after: cursor, count: 2)
      seen.concat(page.frames.map(&:payload))
      cursor = page.cursor
      break unless page.more?
    end
    assert_equal [BINARY, "0", "1", "2", "3"], seen
    refute client.read_stream(eid).closed?
    cl.complete("")
    page = client.read_stream(eid)
    assert page.closed?
    assert_equal "attempt_success", page.closed_reason
    assert_operator page.closed_at, :>, 0
  end

  def test_limits_and_bad_input_write_nothing
    eid, cl = running
    assert_raises(FlowFabric::RetentionLimitExceeded) { cl.append_frame("big", "x" * 65_537) }
    assert_raises(FlowFabric::InvalidFrameType) { cl.append_frame("no spaces", "x") }
    assert_raises(FlowFabric::InvalidArgument) { cl.append_frame("log", "x", mode: "loud") }
    assert_raises(FlowFabric::InvalidInput) { cl.append_frame("summary", "[1]", mode: "summary") }
    assert_raises(FlowFabric::InvalidArgument) { client.read_stream(eid, count: 0) }
    assert_raises(FlowFabric::InvalidOffset) { client.read_stream(eid, after: "nope") }
    assert_empty client.read_stream(eid).frames
    cl.complete("")
    assert_raises(FlowFabric::StreamClosed) { cl.append_frame("log", "late") }
  end

  def test_summary_merge_patch_with_the_null_sentinel
    eid, cl = running
    empty = client.stream_summary(eid)
    assert_equal [nil, 0, nil], [empty.document, empty.version, empty.created]
    assert_equal 1, cl.append_frame("summary", '{"a": 1, "b": {"c": 2}}', mode: "summary").summary_version
    cl.append_frame("summary", '{"a": null, "b": {"d": "__ff_null__"}}', mode: "summary")
    s = client.stream_summary(eid)
    assert_equal({ "b" => { "c" => 2, "d" => nil } }, s.document)
    assert_equal 2, s.version
    cl.complete("")
  end

  def test_tail_wakes_on_append
    eid, cl = running
    first = cl.append_frame("log", "before")
    assert_empty client.tail_stream(eid, after: first.entry_id, block_ms: 0).frames
    tail = Thread.new { client.tail_stream(eid, after: first.entry_id, block_ms: 600_000) }
    cl.append_frame("log", "woke")
    assert_equal ["woke"], tail.value.frames.map(&:payload)
    cl.complete("")
  end

  def test_follow_across_a_retry_yields_both_attempts_and_ends
    eid = client.submit("rb.stream", "", lane: lane, retry_policy: { max_retries: 1, backoff: "fixed", initial: 0.05 })
    follower = Thread.new { client.follow(eid, block_ms: 200).to_a }
    cl = claim_one
    cl.append_frame("log", "first try")
    assert_equal "retry_scheduled", cl.fail("flaky", category: "transient")
    cl = nil
    cl = client.claim([lane]).first until cl
    cl.append_frame("log", "second try")
    cl.complete("")
    frames = follower.value
    assert_equal [[0, "first try"], [1, "second try"]], frames.map { |f| [f.attempt, f.payload] }
    got = []
    client.follow(eid, attempt: 1) { |f| got << f.payload }
    assert_equal ["second try"], got
    assert_equal "execution_ended", client.read_stream(eid, attempt: 2).closed_reason
  end

  def test_task_log_emit_summary_through_a_worker
    eid = client.submit("rb.stream", "", lane: lane)
    w = FlowFabric::Worker.new(client, lanes: [lane], engine: false)
    refused = []
    kept = nil
    w.task("rb.stream") do |t|
      t.log("starting")
      t.emit("tokens", BINARY, mode: "best_effort", encoding: "raw")
      t.summary({ step: 1, gone: nil })
      [-> { t.emit("bad type", "") }, -> { t.summary("[1]") }, -> { t.log("nul\0") }].each do |bad|
        bad.call
      rescue FlowFabric::InvalidInput => e
        refused << e.class
      end
      kept = t
      "ok"
    end
    w.run(max_tasks: 1, handle_signals: false)
    assert_equal "ok", client.result(eid)
    assert_equal [FlowFabric::InvalidFrameType, FlowFabric::InvalidInput, FlowFabric::InvalidArgument], refused
    frames = client.follow(eid).to_a
    assert_equal [%w[log durable], %w[tokens best_effort], %w[summary summary]], frames.map { |f| [f.frame_type, f.mode] }
    assert_equal "starting", frames[0].text
    assert_equal BINARY, frames[1].payload
    assert_equal({ "step" => 1 }, client.stream_summary(eid).document)
    assert_raises(FlowFabric::InvalidArgument) { kept.log("after the end") }
  end
end
