# frozen_string_literal: true

require_relative "test_helper"

# The flow verbs against a real server: create, submit_flow, workers
# completing a DAG in order with parent_results, groups, skips, the typed
# refusals, the reads and cancel_flow with each policy.
class TestFlows < FlowFabricTest
  def worker(**kw)
    FlowFabric::Worker.new(client, lanes: [lane], engine: false, **kw)
  end

  # A chain a -> b -> c submitted in one call; returns [flow_id, [a, b, c]].
  def chain(kind = "rb.step")
    f = client.submit_flow([{ kind: kind, ref: :a }, { kind: kind, ref: :b }, { kind: kind, ref: :c }],
                           [%i[a b], %i[b c]], lane: lane)
    [f.flow_id, f.member_ids]
  end

  # An execution id that does not exist yet, on partition `part`.
  def fresh_id(part) = "{fp:#{part}}:#{SecureRandom.uuid}"

  def partition_of(id) = Integer(id[/\A\{fp:(\d+)\}/, 1])

  # A flow id not created yet, on a partition the test's lane maps to.
  def fresh_flow_id = fresh_id(partition_of(client.create_flow(lane: lane).flow_id))

  def test_create_is_idempotent_and_keeps_the_stored_limits
    made = client.create_flow(lane: lane, max_members: 5)
    refute made.existed?
    assert_match(/\A\{fp:\d+\}:/, made.flow_id)
    assert_equal [5, 100], [made.max_members, made.max_incoming]
    again = client.create_flow(made.flow_id, max_members: 7, max_incoming: 3)
    assert again.existed?
    assert_equal [made.flow_id, 5, 100], [again.flow_id, again.max_members, again.max_incoming]
    assert_equal "open", client.describe_flow(made.flow_id)["state"]
  end

  def test_submit_into_a_flow_add_to_flow_and_flow_of
    fid = client.create_flow(lane: lane).flow_id
    member = client.submit("rb.member", "x", lane: lane, flow: fid)
    assert_equal fid, client.flow_of(member)
    loose = client.submit("rb.loose", "", lane: lane)
    assert_nil client.flow_of(loose)
    assert_empty client.parent_results(loose)

    # an existing execution on the flow's partition joins it; a repeat says so
    joiner = client.submit("rb.join", "", lane: lane, execution_id: fresh_id(partition_of(fid)))
    assert_equal "added", client.add_to_flow(fid, joiner)
    assert_equal "already_member", client.add_to_flow(fid, joiner)
    assert_equal fid, client.flow_of(joiner)
    members = client.describe_flow(fid)["members"].map { |m| m["execution_id"] }
    assert_equal [member, joiner].sort, members.sort

    other = (partition_of(fid) + 1) % FlowFabric::Native.ff_client_partitions(client.native)
    assert_raises(FlowFabric::PartitionMismatch) { client.add_to_flow(fid, fresh_id(other)) }
    assert_raises(FlowFabric::FlowNotFound) { client.add_to_flow(fresh_id(partition_of(fid)), joiner) }
  end

  def test_a_diamond_runs_in_order_and_passes_data
    f = client.submit_flow(
      [{ kind: "rb.src", payload: "seed", ref: :src },
       { kind: "rb.left", ref: :left },
       { kind: "rb.right", ref: :right },
       { kind: "rb.join", ref: :join }],
      [[:src, :left, pass_data: true], [:src, :right, true], [:left, :join, pass_data: true], [2, 3]],
      lane: lane
    )
    refute f.existed?
    assert_equal 4, f.member_ids.size
    assert_equal f.member_ids[3], f[:join]
    assert_equal "waiting_children", client.state(f[:join])

    order = []
    seen = {}
    w = worker
    w.task("rb.src") { |t| order << :src; "#{t.payload}+src" }
    %w[left right].each do |side|
      w.task("rb.#{side}") do |t|
        order << side.to_sym
        seen[side] = t.parent_results
        "#{side}(#{t.parent_results.first.result})"
      end
    end
    w.task("rb.join") do |t|
      order << :join
      seen["join"] = t.parent_results
      t.parent_results.map { |p| p.result.inspect }.join(",")
    end
    w.run(max_tasks: 4, handle_signals: false)

    assert_equal :src, order.first
    assert_equal :join, order.last
    assert_equal %i[left right], order[1, 2].sort
    left = seen["left"].first
    assert_equal [f[:src], "satisfied", "seed+src"], [left.upstream, left.state, left.result]
    joined = seen["join"].to_h { |p| [p.upstream, p] }
    assert_equal [f[:left], f[:right]].sort, joined.keys.sort
    assert_equal "left(seed+src)", joined[f[:left]].result
    assert_nil joined[f[:right]].result # that edge passes no data
    assert_equal "satisfied", joined[f[:right]].state
    # the parents come by upstream id, and left was minted before right
    assert_equal "\"left(seed+src)\",nil", client.result(f[:join])
    assert_equal "completed", client.describe_flow(f.flow_id)["state"]

    doc = client.describe_flow(f.flow_id)
    assert_equal 4, doc["counts"]["members"]
    assert_equal 4, doc["counts"]["completed"]
    assert_equal 0, doc["counts"]["not_ended"]
    assert_equal 4, doc["edge_count"]
    assert(doc["edges"].all? { |e| e["state"] == "satisfied" })

    out_of_src = client.list_edges(f.flow_id, f[:src], direction: :out)
    assert_equal [f[:left], f[:right]].sort, out_of_src.map(&:downstream).sort
    into_join = client.list_edges(f.flow_id, f[:join], direction: :in)
    assert_equal [f[:left], f[:right]].sort, into_join.map(&:upstream).sort
    edge = client.describe_edge(f.flow_id, out_of_src.first.edge_id)
    assert_equal ["satisfied", "success", true], [edge.state, edge.upstream_outcome, edge.data_passing?]
    assert_kind_of Integer, edge.resolved_at
  end

  def test_submit_flow_is_idempotent_by_flow_id_and_refuses_another_body
    fid = fresh_flow_id
    members = [{ kind: "rb.a", lane: lane }, { kind: "rb.b", lane: lane }]
    one = client.submit_flow(members, [[0, 1]], flow_id: fid)
    two = client.submit_flow(members, [[0, 1]], flow_id: fid)
    refute one.existed?
    assert two.existed?
    assert_equal one.member_ids, two.member_ids
    assert_raises(FlowFabric::FlowSubmitConflict) { client.submit_flow(members, [], flow_id: fid) }
  end

  def test_submit_flow_refusals_are_typed_and_write_nothing
    fid = fresh_flow_id
    two = [{ kind: "rb.a", ref: :a, lane: lane }, { kind: "rb.b", ref: :b, lane: lane }]
    assert_raises(FlowFabric::InvalidArgument) { client.submit_flow([], flow_id: fid) }
    assert_raises(FlowFabric::InvalidArgument) { client.submit_flow(two, [%i[a nope]], flow_id: fid) }
    assert_raises(FlowFabric::InvalidArgument) { client.submit_flow(two, [[0, 2]], flow_id: fid) }
    assert_raises(FlowFabric::InvalidArgument) { client.submit_flow(two, [[0, 1, "yes"]], flow_id: fid) }
    assert_raises(FlowFabric::InvalidArgument) { client.submit_flow([{ kind: "k", flow: fid }], flow_id: fid) }
    assert_raises(FlowFabric::InvalidArgument) { client.submit_flow([{ kind: "k", idempotency_key: "x" }]) }
    assert_raises(FlowFabric::InvalidArgument) { client.submit_flow([{ kind: "k", colour: "red" }]) }
    assert_raises(FlowFabric::InvalidArgument) { client.submit_flow([{ payload: "no kind" }]) }
    assert_raises(FlowFabric::InvalidFlowPolicy) do
      client.submit_flow(two, [%i[a b]], groups: { b: { policy: :all_of, k: 2 } }, flow_id: fid)
    end
    # refused by the server, before its first write
    assert_raises(FlowFabric::CycleDetected) { client.submit_flow(two, [%i[a b], %i[b a]], flow_id: fid) }
    assert_raises(FlowFabric::InvalidFlowPolicy) do
      client.submit_flow(two, [%i[a b]], groups: { b: { policy: :quorum, k: 2 } }, flow_id: fid)
    end
    assert_raises(FlowFabric::InvalidFlowPolicy) do
      client.submit_flow(two, [%i[a b]], groups: { b: { policy: :most_of } }, flow_id: fid)
    end
    assert_raises(FlowFabric::FlowNotFound) { client.describe_flow(fid) }
  end

  def test_any_of_with_cancel_remaining_cancels_the_sibling
    f = client.submit_flow([{ kind: "rb.try", ref: :fast }, { kind: "rb.try", ref: :slow }, { kind: "rb.after", ref: :d }],
                           [%i[fast d], %i[slow d]], groups: { d: { policy: :any_of, on_satisfied: :cancel_remaining } },
                           lane: lane)
    claim = claim_one
    assert_equal f[:fast], claim.execution_id # members claim in creation order
    claim.complete("won")
    assert_equal "cancelled", client.state(f[:slow])
    assert_equal "sibling_quorum_satisfied", client.describe(f[:slow])["cancellation"]["reason"]
    assert_equal "waiting", client.state(f[:d])
    group = client.describe_flow(f.flow_id)["groups"].first
    assert_equal %w[any_of cancel_remaining], [group["policy"], group["on_satisfied"]]
  end

  def test_set_group_and_add_edge_one_at_a_time_with_typed_refusals
    fid = client.create_flow(lane: lane).flow_id
    a, b, c = 3.times.map { |i| client.submit("rb.e#{i}", "", lane: lane, flow: fid) }
    assert_equal "set", client.set_group(fid, c, policy: :quorum, k: 1, on_satisfied: :let_run)
    assert_equal "already_set", client.set_group(fid, c, policy: "quorum", k: 1, on_satisfied: "let_run")
    assert_raises(FlowFabric::InvalidFlowPolicy) { client.set_group(fid, b, policy: :some_of) }
    assert_raises(FlowFabric::InvalidFlowPolicy) { client.set_group(fid, b, policy: :all_of, on_satisfied: :let_run) }
    assert_raises(FlowFabric::InvalidArgument) { client.set_group(fid, b, policy: 3) }

    rev = client.describe_flow(fid)["revision"]
    ab = client.add_edge(fid, a, b, expected_revision: rev, pass_data: true)
    assert_equal [a, b, "pending", true, rev + 1], [ab.upstream, ab.downstream, ab.state, ab.data_passing?, ab.revision]
    assert_raises(FlowFabric::StaleGraphRevision) { client.add_edge(fid, b, c, expected_revision: rev) }
    bc = client.add_edge(fid, b, c)
    assert_raises(FlowFabric::CycleDetected) { client.add_edge(fid, c, a) }
    assert_raises(FlowFabric::SelfReferencingEdge) { client.add_edge(fid, a, a) }
    assert_raises(FlowFabric::DependencyAlreadyExists) { client.add_edge(fid, a, b) }
    assert_raises(FlowFabric::EdgeGroupPolicyFixed) { client.set_group(fid, b, policy: :any_of) }
    assert_raises(FlowFabric::InvalidArgument) { client.add_edge(fid, a, c, pass_data: "yes") }
    assert_raises(FlowFabric::InvalidArgument) { client.add_edge(fid, a, c, expected_revision: "1") }
    assert_equal bc.revision, client.describe_flow(fid)["revision"] # the refusals wrote nothing

    out_of_b = client.list_edges(fid, b, direction: :out)
    into_b = client.list_edges(fid, b, direction: "in")
    assert_equal [[bc.edge_id, b, c, "pending"]], out_of_b.map { |e| [e.edge_id, e.upstream, e.downstream, e.state] }
    assert_equal [ab.edge_id], into_b.map(&:edge_id)
    assert_equal [ab.edge_id], client.list_edges(fid, a).map(&:edge_id) # :out by default
    assert_raises(FlowFabric::InvalidArgument) { client.list_edges(fid, a, direction: :sideways) }

    edge = client.describe_edge(fid, ab.edge_id)
    assert_equal [ab.edge_id, a, b, "pending", true], [edge.edge_id, edge.upstream, edge.downstream, edge.state,
                                                       edge.data_passing?]
    assert_kind_of Integer, edge.created_at
    assert_nil edge.resolved_at
    assert_raises(FlowFabric::EdgeNotFound) { client.describe_edge(fid, SecureRandom.uuid) }
  end

  def test_a_failure_skips_the_downstream_layer_by_layer
    fid, (a, b, c) = chain
    claim_one.fail("broken", retryable: false)
    assert_raises(FlowFabric::ExecutionFailed) { client.result(a) }
    assert_equal %w[skipped skipped], [client.state(b), client.state(c)]
    assert_equal "dependency_impossible", client.describe(b)["failure"]["reason"]
    assert_equal "impossible", client.parent_results(b).first.state
    doc = client.describe_flow(fid)
    assert_equal ["failed", 1, 2], [doc["state"], doc["counts"]["failed"], doc["counts"]["skipped"]]
  end

  def test_list_flows_pages_and_iterates_every_partition
    made = 3.times.map { client.create_flow(lane: lane).flow_id }
    part = partition_of(made.first)
    on_part = made.select { |f| partition_of(f) == part }
    ids, cursor = client.list_flows_page(part, "", 1)
    assert_equal 1, ids.size
    paged = ids.dup
    until cursor.empty?
      ids, cursor = client.list_flows_page(part, cursor, 1)
      paged.concat(ids)
    end
    assert_equal paged.sort, paged
    assert_equal client.list_flows(part).to_a, paged
    assert_empty on_part - paged
    every = client.list_flows.to_a
    assert_empty made - every
    assert_raises(FlowFabric::InvalidArgument) { client.list_flows_page(part, "", 0) }
    assert_raises(FlowFabric::InvalidArgument) { client.list_flows(part, count: 5000) }
  end

  def test_cancel_all_cancels_running_members_too
    fid, (a, b, c) = chain
    running = claim_one
    assert_equal a, running.execution_id
    r = client.cancel_flow(fid, policy: :cancel_all, reason: "operator")
    refute r.repeat?
    assert_equal "cancel_all", r.policy
    assert_equal [a, b, c].sort, r.cancelled.sort
    assert_raises(FlowFabric::ExecutionNotActive) { running.complete("late") }
    again = client.cancel_flow(fid, policy: :cancel_pending)
    assert again.repeat?
    assert_equal ["cancel_all", []], [again.policy, again.cancelled]
    assert_equal "cancelled", client.describe_flow(fid)["state"]
    assert_equal "flow", client.describe(b)["cancellation"]["cancelled_by"]
  end

  def test_cancel_pending_lets_the_running_member_finish
    fid, (a, b, c) = chain
    running = claim_one
    r = client.cancel_flow(fid, policy: "cancel_pending")
    assert_equal [b, c].sort, r.cancelled.sort
    running.complete("done anyway")
    assert_equal "done anyway", client.result(a)
  end

  def test_flow_only_leaves_the_members_alone
    fid, (a, b, c) = chain
    r = client.cancel_flow(fid, policy: :flow_only)
    assert_equal ["flow_only", []], [r.policy, r.cancelled]
    assert_equal "cancelled", client.describe_flow(fid)["state"]
    assert_raises(FlowFabric::FlowAlreadyTerminal) { client.add_edge(fid, a, c) } # no new edges
    assert_equal "waiting_children", client.state(b)
    claim_one.complete("ran on") # the members run on, and still release each other
    assert_equal ["ran on", "waiting"], [client.result(a), client.state(b)]
  end

  def test_cancel_flow_needs_a_policy
    fid, (a, _b, _c) = chain
    assert_raises(FlowFabric::InvalidFlowPolicy) { client.cancel_flow(fid) }
    assert_raises(FlowFabric::InvalidFlowPolicy) { client.cancel_flow(fid, policy: :cancel_some) }
    assert_raises(FlowFabric::InvalidArgument) { client.cancel_flow(fid, policy: 1) }
    assert_equal "open", client.describe_flow(fid)["state"]
    assert_equal "waiting", client.state(a)
    assert_raises(FlowFabric::FlowNotFound) { client.cancel_flow(fresh_flow_id, policy: :cancel_all) }
  end
end
