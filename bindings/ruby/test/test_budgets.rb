# frozen_string_literal: true

require_relative "test_helper"

# Budgets from Ruby (docs/budgets.md): create (idempotent), check-first
# reports at the boundaries, dedup, the ledger of an execution, reset.
class TestBudgets < FlowFabricTest
  def bid = "rb-#{SecureRandom.hex(6)}"

  def test_create_report_release_reset
    id = bid
    made = client.create_budget(id, { "tokens" => [100, 60] }, on_hard: :block)
    assert made.created?
    assert made.matches?
    again = client.create_budget(id, { "tokens" => 5 })
    refute again.created?
    refute again.matches?
    eid = client.submit("rb.spend", "", lane: lane, budgets: [id])
    cl = claim_one
    assert_equal eid, cl.execution_id
    assert_equal "applied", cl.report_usage(id, { "tokens" => 60 }).outcome # equal to soft: no breach
    r = cl.report_usage(id, { "tokens" => 1 }, dedup_key: "d1")
    assert r.breached?
    assert_equal ["soft_breach", "tokens", 61, 60], [r.outcome, r.dimension, r.usage, r.limit]
    assert_equal "already_applied", cl.report_usage(id, { "tokens" => 1 }, dedup_key: "d1").outcome
    r = client.report_usage(id, { "tokens" => 40 })
    assert_equal ["hard_breach", 61, 100], [r.outcome, r.usage, r.limit] # nothing applied
    d = client.describe_budget(id)
    assert_equal 61, d["dimensions"]["tokens"]["usage"]
    assert_equal "block", d["on_hard"]
    assert client.release_budget(id, eid)
    refute client.release_budget(id, eid)
    assert_equal 0, client.describe_budget(id)["dimensions"]["tokens"]["usage"]
    assert_equal 1, client.update_budget(id, { "tokens" => [200, 0] })
    assert_equal 1, client.reset_budget(id)
    cl.complete("")
  end

  def test_bad_input_raises_and_writes_nothing
    id = bid
    assert_raises(FlowFabric::InvalidArgument) { client.create_budget(id, {}) }
    assert_raises(FlowFabric::InvalidArgument) { client.create_budget(id, { "t" => 1 }, on_hard: :explode) }
    assert_raises(FlowFabric::InvalidArgument) { client.report_usage(id, {}) }
    assert_raises(FlowFabric::InvalidArgument) { client.report_usage(id, { "t" => -1 }) }
    assert_raises(FlowFabric::BudgetNotFound) { client.describe_budget(id) }
  end

  def test_a_task_reports_and_learns_of_a_breach
    id = bid
    client.create_budget(id, { "tokens" => [10, 5] })
    eid = client.submit("rb.spend", "", lane: lane)
    seen = []
    w = FlowFabric::Worker.new(client, lanes: [lane], engine: false)
    w.task("rb.spend") do |t|
      seen << t.budget_breached
      seen << t.report_usage(id, { "tokens" => 3 }, dedup_key: "once").outcome
      seen << t.budget_breached
      seen << t.report_usage(id, { "tokens" => 3 }, dedup_key: "once").outcome # nothing applied again
      r = t.report_usage(id, { "tokens" => 3 })
      seen << [r.outcome, r.dimension, r.usage, r.limit] << t.budget_breached
      r = t.report_usage(id, { "tokens" => 5 }) # 11 > 10: nothing applied
      seen << [r.outcome, r.usage, r.limit] << t.budget_breached
      [-> { t.report_usage(id, {}) }, -> { t.report_usage(id, { "tokens" => "3" }) },
       -> { t.report_usage(id, { "tokens" => -1 }) }, -> { t.report_usage(id, [["tokens", 1]]) },
       -> { t.report_usage("bad id!", { "tokens" => 1 }) }].each do |bad|
        bad.call
        seen << :accepted
      rescue FlowFabric::FlowFabricError => e
        seen << e.class
      end
      "ok"
    end
    w.run(max_tasks: 1, handle_signals: false)
    assert_equal "ok", client.result(eid)
    inv = FlowFabric::InvalidArgument
    assert_equal [nil, "applied", nil, "already_applied", ["soft_breach", "tokens", 6, 5], :soft,
                  ["hard_breach", 6, 10], :hard, inv, inv, inv, inv, inv], seen
    assert_equal 6, client.describe_budget(id)["dimensions"]["tokens"]["usage"] # the bad reports wrote nothing
    assert client.release_budget(id, eid) # the task's spend is the execution's
  end

  def test_members_of_a_flow_draw_on_its_budgets
    fb, own = bid, bid
    made = client.create_flow(lane: lane, budgets: [fb])
    assert_equal [fb], client.describe_flow(made.flow_id)["budgets"]
    eid = client.submit("rb.member", "", lane: lane, flow: made.flow_id, budgets: [own])
    assert_equal [own, fb], client.describe(eid)["budgets"] # its own, then the flow's
    assert client.create_flow(made.flow_id, lane: lane, budgets: [own]).existed?
    assert_equal [fb], client.describe_flow(made.flow_id)["budgets"] # a repeat keeps the stored ones
    sub = client.submit_flow([{ kind: "a", ref: :a }, { kind: "b", budgets: [own] }], [[:a, 1]], lane: lane,
                             budgets: [fb, own + "x"])
    assert_equal [fb, own + "x"], client.describe(sub[:a])["budgets"]
    assert_equal [own, fb, own + "x"], client.describe(sub[1])["budgets"]
  end

  def test_flow_budgets_bad_input_raises_and_writes_nothing
    fid = "{fp:0}:#{SecureRandom.uuid}"
    ["b-1", { "b" => 1 }, ["bad id!"], %w[x x], (0..16).map { |i| "b#{i}" }, [nil], [1]].each do |budgets|
      assert_raises(FlowFabric::InvalidArgument, budgets.inspect) { client.create_flow(fid, budgets: budgets) }
      assert_raises(FlowFabric::InvalidArgument, budgets.inspect) do
        client.submit_flow([{ kind: "k" }], flow_id: fid, budgets: budgets)
      end
    end
    assert_raises(FlowFabric::InvalidArgument) { client.submit("rb.k", "", lane: lane, budgets: "b-1") }
    assert_raises(FlowFabric::FlowNotFound) { client.describe_flow(fid) }
    assert_empty client.list_lane(lane).to_a
  end
end
