# frozen_string_literal: true

require_relative "test_helper"

# Child flows (Task#spawn_children / wait_children / children), the
# completion feed (read_completions, follow_completions), wait_flow and
# cancel_flow(wait:) against a real server (docs/flows.md, "Child flows"
# and "Following flows").
class TestFlowChildren < FlowFabricTest
  def worker
    FlowFabric::Worker.new(client, lanes: [lane], engine: false)
  end

  def partition_of(id) = Integer(id[/\A\{fp:(\d+)\}/, 1])

  def test_a_parent_spawns_waits_and_resumes_with_its_childrens_results
    parent = client.submit("rb.parent", "{}", lane: lane)
    runs = []
    w = worker
    w.task("rb.parent") do |t|
      runs << [t.attempt_type, t.attempt_id]
      if t.attempt_type == "resumed"
        t.children.map(&:result).sort.join("+")
      else
        kids = t.spawn_children([{ kind: "rb.child", payload: "1" }, { kind: "rb.child", payload: "2" }])
        assert_equal 2, kids.member_ids.size
        assert_equal "suspended", t.wait_children
        assert t.finished?
        "ignored: the task is over until the children end"
      end
    end
    w.task("rb.child") { |t| "child-#{t.payload}" }
    w.run(max_tasks: 4, idle_timeout: 60, handle_signals: false)

    assert_equal "child-1+child-2", client.result(parent)
    assert_equal %w[initial resumed], runs.map(&:first)
    assert_equal runs[0][1], runs[1][1] # the same attempt
    assert_equal 1, w.stats[:suspended]
    kids = client.children(parent)
    assert_equal 2, kids.size
    assert_equal %w[completed completed], kids.map(&:state)
    assert_equal 1, kids.map(&:flow_id).uniq.size
    doc = client.describe_flow(kids[0].flow_id)
    assert_equal [parent, "completed"], [doc["parent"], doc["state"]]
  end

  def test_children_already_ended_keep_the_lease_and_the_handler_goes_on
    parent = client.submit("rb.parent", "", lane: lane)
    outcomes = []
    w = worker
    w.task("rb.parent") do |t|
      t.spawn_children([{ kind: "rb.child", payload: "x" }])
      claim_one.complete("done-by-hand") # the child ends while the parent runs
      outcomes << t.wait_children
      refute t.finished?
      t.children.map(&:result).join
    end
    w.run(max_tasks: 1, idle_timeout: 60, handle_signals: false)
    assert_equal ["already_satisfied"], outcomes
    assert_equal "done-by-hand", client.result(parent)
    assert_equal 0, w.stats[:suspended]
  end

  def test_wait_children_without_children_is_refused_and_the_handler_goes_on
    eid = client.submit("rb.lonely", "", lane: lane)
    seen = []
    w = worker
    w.task("rb.lonely") do |t|
      assert_raises(FlowFabric::NoChildren) { t.wait_children }
      refute t.finished?
      seen << "went on"
      "done"
    end
    w.run(max_tasks: 1, idle_timeout: 60, handle_signals: false)
    assert_equal ["went on"], seen
    assert_equal "done", client.result(eid)
    assert_empty client.children(eid)
  end

  def test_spawning_needs_a_running_parent
    idle = client.submit("rb.x", "", lane: lane)
    assert_raises(FlowFabric::ExecutionNotActive) { client.submit_flow([{ kind: "rb.c" }], parent: idle, lane: lane) }
    assert_raises(FlowFabric::InvalidArgument) { client.submit_flow([{ kind: "rb.c" }], parent: "not-an-id", lane: lane) }
    assert_raises(FlowFabric::InvalidArgument) { client.submit_flow([{ kind: "rb.c" }], parent: 7, lane: lane) }
    assert_empty client.children(idle)
  end

  def completed_chain
    sub = client.submit_flow([{ kind: "rb.a" }, { kind: "rb.b" }], [[0, 1]], lane: lane)
    part = partition_of(sub.flow_id)
    start = client.read_completions(part, "$").cursor
    2.times { claim_one.complete("") }
    [sub, part, start]
  end

  def test_read_completions_from_the_newest_entry_shows_the_chain_in_order
    sub, part, start = completed_chain
    mine = []
    cursor = start
    loop do
      page = client.read_completions(part, cursor, 2)
      refute page.gap?
      break if page.entries.empty?

      assert_equal page.entries.last.id, page.cursor
      mine.concat(page.entries.select { |e| e.flow_id == sub.flow_id })
      cursor = page.cursor
    end
    a, b = sub.member_ids
    assert_equal [[a, "success", "member"], [b, "success", "member"], ["", "completed", "flow"]],
                 mine.map { |e| [e.execution_id, e.outcome, e.kind] }
    refute mine.any?(&:missed_before?)
    assert_raises(FlowFabric::InvalidArgument) { client.read_completions(part, "nope") }
    assert_raises(FlowFabric::InvalidArgument) { client.read_completions(part, "$", 0) }
  end

  def test_follow_completions_from_a_stored_cursor_with_an_idle_timeout
    sub, part, start = completed_chain
    mine = client.follow_completions(part, start, count: 1, idle_timeout: 0.5)
                 .select { |e| e.flow_id == sub.flow_id }
    a, b = sub.member_ids
    assert_equal [[a, "member"], [b, "member"], ["", "flow"]], mine.map { |e| [e.execution_id, e.kind] }
    # the ids are the cursors to store: following on from the flow's entry
    # yields none of this flow's entries again
    again = client.follow_completions(part, mine.last.id, idle_timeout: 0.2).select { |e| e.flow_id == sub.flow_id }
    assert_empty again
    assert_raises(FlowFabric::InvalidArgument) { client.follow_completions(part, count: 0) }
    assert_raises(FlowFabric::InvalidArgument) { client.follow_completions(part, 5) }
  end

  def test_wait_flow_times_out_while_a_member_runs_then_returns_the_settled_flow
    sub = client.submit_flow([{ kind: "rb.a" }], lane: lane)
    running = claim_one
    assert_raises(FlowFabric::Timeout) { client.wait_flow(sub.flow_id, timeout: 0.05) }
    running.complete("ok")
    doc = client.wait_flow(sub.flow_id, timeout: 60)
    assert_equal "completed", doc["state"]
    assert_equal 0, doc["counts"]["not_ended"]
    assert_equal doc["state"], client.wait_flow(sub.flow_id)["state"] # without a timeout
    unknown = "{fp:#{partition_of(sub.flow_id)}}:#{SecureRandom.uuid}"
    assert_raises(FlowFabric::FlowNotFound) { client.wait_flow(unknown, timeout: 1) }
  end

  def test_cancel_pending_with_wait_reports_the_running_member
    sub = client.submit_flow([{ kind: "rb.a" }, { kind: "rb.b" }], lane: lane)
    running = claim_one
    done = client.cancel_flow(sub.flow_id, policy: :cancel_pending, wait: true, timeout: 0.05)
    assert_equal [running.execution_id], done.partially_cancelled
    assert_equal sub.member_ids - [running.execution_id], done.cancelled
    running.complete("")
    assert_equal "cancelled", client.wait_flow(sub.flow_id, timeout: 60)["state"]
    again = client.cancel_flow(sub.flow_id, policy: :cancel_all, wait: true, timeout: 60)
    assert again.repeat?
    assert_empty again.partially_cancelled
    assert_empty client.cancel_flow(sub.flow_id, policy: :cancel_all).partially_cancelled # without wait
    assert_raises(FlowFabric::InvalidArgument) { client.cancel_flow(sub.flow_id, policy: :cancel_all, wait: "yes") }
  end
end
