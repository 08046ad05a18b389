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
end
