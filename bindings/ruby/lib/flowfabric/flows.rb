# frozen_string_literal: true

module FlowFabric
  # What the flow calls return (docs/flows.md for the concepts). Plain
  # Structs: compare, print and destructure them like any value.
  module Flow
    # #create_flow: the flow id, whether it existed already (nothing was
    # changed then) and the stored limits.
    Created = Struct.new(:flow_id, :existed, :max_members, :max_incoming, keyword_init: true) do
      def existed? = existed
      def to_s = flow_id
    end

    # One edge upstream -> downstream; state "pending", "satisfied" or
    # "impossible". #list_edges fills the first four fields, #add_edge also
    # data_passing and the flow's new graph revision, #describe_edge every
    # field but revision (times: server unix ms, nil when not yet).
    Edge = Struct.new(:edge_id, :upstream, :downstream, :state, :data_passing, :created_at, :resolved_at,
                      :upstream_outcome, :revision, keyword_init: true) do
      def data_passing? = data_passing
    end

    # One upstream of an execution (#parent_results), by upstream id:
    # result is the upstream's result bytes when the edge passes data and the
    # upstream completed, else nil.
    Parent = Struct.new(:upstream, :edge_id, :state, :result, keyword_init: true)

    # #cancel_flow: the policy in force, whether this was a repeat on an
    # already cancelled flow (nothing touched), the members this call
    # cancelled and, with wait: and a timeout that passed first, the members
    # still not ended then (else []).
    Cancellation = Struct.new(:policy, :repeat, :cancelled, :partially_cancelled, keyword_init: true) do
      def repeat? = repeat
    end

    # One member of a child flow (#children, Task#children): its public
    # state and its result bytes once it completed (else nil).
    Child = Struct.new(:flow_id, :execution_id, :state, :result, keyword_init: true)

    # One entry of a partition's completion feed: kind "member" (a member
    # ended: outcome is its outcome) or "flow" (the flow settled:
    # execution_id "", outcome completed | failed | cancelled). id is the
    # entry's cursor; missed_before: entries before it were deleted by the
    # retention before this read.
    Completion = Struct.new(:id, :flow_id, :execution_id, :outcome, :kind, :missed_before, keyword_init: true) do
      def missed_before? = missed_before
    end

    # #read_completions: the entries, the cursor to read on from (the last
    # entry's id; the same cursor when nothing is new) and gap (entries after
    # the given cursor were trimmed: re-read the flows you care about).
    CompletionPage = Struct.new(:entries, :cursor, :gap, keyword_init: true) do
      def gap? = gap
    end

    # Public states of a member that has ended ("missing": deleted by the
    # retention).
    ENDED_STATES = %w[completed failed cancelled expired skipped missing].freeze

    # #submit_flow: the flow id and the member ids in the order the members
    # were given; submitted[i] or submitted[:ref] is one member's id.
    class Submitted
      attr_reader :flow_id, :member_ids

      def initialize(flow_id, member_ids, existed, refs)
        @flow_id = flow_id
        @member_ids = member_ids.freeze
        @existed = existed
        @refs = refs
      end

      # true for a repeat of an earlier submit of the same body (nothing
      # was written; the ids are the stored ones).
      def existed? = @existed

      # A member's id by its index or its ref:.
      def [](member)
        i = member.is_a?(Integer) ? member : @refs.fetch(member) { raise KeyError, "no member with ref #{member.inspect}" }
        @member_ids.fetch(i)
      end

      def to_s = @flow_id
      def inspect = "#<FlowFabric::Flow::Submitted #{@flow_id} members=#{@member_ids.size}#{@existed ? " existed" : ""}>"
    end
  end

  # The flow verbs of Client (the C calls of include/flowfabric/flow.h).
  class Client
    # Create a flow and return Flow::Created. flow_id: nil mints one on a
    # partition of `lane` (nil: "default"). max_members (1..10000, default
    # 1000) and max_incoming (edges into one member, 1..1000, default 100).
    # budgets: ids of budgets (#create_budget, at most 16) every member
    # draws on besides its own (merged into a joining member's budgets).
    # Idempotent: creating an existing id changes nothing and returns the
    # stored limits with existed? true (its stored budgets are kept too).
    def create_flow(flow_id = nil, lane: nil, max_members: nil, max_incoming: nil, budgets: nil)
      fid = flow_id.nil? ? nil : Args.id(flow_id, "flow_id")
      ln = lane.nil? ? nil : Args.id(lane, "lane")
      mm = max_members.nil? ? 0 : Args.int(max_members, "max_members", 1..10_000)
      mi = max_incoming.nil? ? 0 : Args.int(max_incoming, "max_incoming", 1..1000)
      ids = Args.budgets(budgets)
      extract = lambda do |op|
        limits = Result.items(op)
        Flow::Created.new(flow_id: Result.text(op), existed: Result.int(op) == 1,
                          max_members: Integer(limits[0]), max_incoming: Integer(limits[1]))
      end
      return call(extract) { |cb, ud| Native.ff_flow_create(native, fid, ln, mm, mi, cb, ud, nil) } if ids.empty?

      arr, _keep = Units.c_strings(ids)
      call(extract) { |cb, ud| Native.ff_flow_create_with_budgets(native, fid, ln, mm, mi, arr, ids.size, cb, ud, nil) }
    end

    # Add an existing execution to a flow (it must be on the flow's
    # partition): "added", or "already_member" for a repeat.
    def add_to_flow(flow_id, execution_id)
      call_op(:ff_flow_add_member, Args.id(flow_id, "flow_id"), Args.id(execution_id, "execution_id"))
    end

    # Set how the edges INTO `downstream` decide, before any of them is
    # staged: policy :all_of (the default without a call), :any_of (k 1) or
    # :quorum (k successes); on_satisfied (any_of / quorum, default
    # :cancel_remaining; or :let_run) says what happens to the upstreams
    # still running once the group is decided. "set" or "already_set".
    def set_group(flow_id, downstream, policy: :all_of, k: nil, on_satisfied: nil)
      pol, kk, os = group_args(policy, k, on_satisfied, "")
      call_op(:ff_flow_set_group, Args.id(flow_id, "flow_id"), Args.id(downstream, "downstream"), pol, kk, os)
    end

    # Stage the edge upstream -> downstream (the downstream waits until its
    # group is decided). expected_revision: refuse unless the flow's graph
    # revision is this one (StaleGraphRevision); nil does not check.
    # pass_data: the downstream may read the upstream's result
    # (#parent_results). Returns a Flow::Edge with the new revision.
    def add_edge(flow_id, upstream, downstream, expected_revision: nil, pass_data: false)
      rev = expected_revision.nil? ? -1 : Args.int(expected_revision, "expected_revision", 0..(2**63 - 1))
      flags = Args.bool(pass_data, "pass_data") ? Native::FF_FLOW_EDGE_DATA : 0
      fid, up, down = Args.id(flow_id, "flow_id"), Args.id(upstream, "upstream"), Args.id(downstream, "downstream")
      extract = lambda do |op|
        Flow::Edge.new(edge_id: Result.text(op), upstream: up, downstream: down, state: Result.items(op)[0],
                       data_passing: pass_data, revision: Result.int(op))
      end
      call(extract) { |cb, ud| Native.ff_flow_add_edge(native, fid, up, down, rev, flags, cb, ud, nil) }
    end

    # Create a flow with all its members, groups and edges in ONE atomic
    # call: a member with an incoming edge is blocked from its birth.
    #   members: Hashes of submit's arguments (kind: required, payload:,
    #     lane: defaulting to the flow's, ...; no flow: or idempotency_key:,
    #     the flow id is the key of the whole submit), each with an optional
    #     ref: (any value) naming it for edges, groups and the result.
    #   edges: [up, down] or [up, down, pass_data: true] (or true as the
    #     third), up and down a member's index or ref.
    #   groups: { member index or ref => { policy:, k:, on_satisfied: } }.
    #   parent: the id of a RUNNING execution whose child flow this is (it
    #     may then Task#wait_children; workers use Task#spawn_children). The
    #     flow goes to the parent's partition. ExecutionNotActive for a
    #     parent not running.
    #   budgets: as for #create_flow: every member draws on them besides
    #     the budgets: it names itself.
    # Returns Flow::Submitted. Idempotent by flow_id: the same body again
    # writes nothing (existed? true); another body is FlowSubmitConflict.
    def submit_flow(members, edges = [], groups: nil, flow_id: nil, lane: nil, max_members: nil, max_incoming: nil,
                    parent: nil, budgets: nil)
      ids = Args.budgets(budgets)
      fid = flow_id.nil? ? nil : Args.id(flow_id, "flow_id")
      par = parent.nil? ? nil : Args.id(parent, "parent")
      ln = lane.nil? ? nil : Args.id(lane, "lane")
      mm = max_members.nil? ? 0 : Args.int(max_members, "max_members", 1..10_000)
      mi = max_incoming.nil? ? 0 : Args.int(max_incoming, "max_incoming", 1..1000)
      Args.invalid("members: expected a non-empty Array of Hashes") unless members.is_a?(Array) && !members.empty?
      Args.invalid("edges: expected an Array of [up, down(, pass_data)]") unless edges.is_a?(Array)
      Args.invalid("groups: expected a Hash of member => group") unless groups.nil? || groups.is_a?(Hash)
      refs = member_refs(members)
      out = FFI::MemoryPointer.new(:pointer)
      FlowFabric.check(Native.ff_flow_spec_new(out, fid, ln, mm, mi), "flow spec")
      fs = out.read_pointer
      begin
        FlowFabric.check(Native.ff_flow_spec_set_parent(fs, par), "parent") if par
        ids.each { |b| FlowFabric.check(Native.ff_flow_spec_add_budget(fs, b), "budget #{b}") }
        members.each_with_index { |m, i| add_member(fs, m, i, ln) }
        edges.each_with_index { |e, j| add_spec_edge(fs, e, j, refs, members.size) }
        (groups || {}).each do |member, g|
          down = member_index(member, refs, members.size, "groups key")
          Args.invalid("groups[#{member.inspect}]: expected a Hash (policy:, k:, on_satisfied:)") unless g.is_a?(Hash)
          g = g.transform_keys(&:to_sym)
          extra = g.keys - %i[policy k on_satisfied]
          Args.invalid("groups[#{member.inspect}]: unknown #{extra.map(&:inspect).join(", ")}") unless extra.empty?
          pol, kk, os = group_args(g.fetch(:policy, :all_of), g[:k], g[:on_satisfied], "groups[#{member.inspect}] ")
          FlowFabric.check(Native.ff_flow_spec_set_group(fs, down, pol, kk, os), "groups[#{member.inspect}]")
        end
        extract = lambda do |op|
          ids = Result.records(:ff_flow_submit, op, :eid).map { |r| r[:eid] }
          Flow::Submitted.new(Result.text(op), ids, Result.int(op) == 1, refs)
        end
        call(extract) { |cb, ud| Native.ff_flow_submit(native, fs, cb, ud, nil) }
      ensure
        Native.ff_flow_spec_free(fs)
      end
    end

    # The flow document as a Hash (string keys, docs/flows.md "Reads"):
    # "state", "revision", "counts", "members", "edges", "groups", ...
    def describe_flow(flow_id) = call_op(:ff_flow_describe, Args.id(flow_id, "flow_id"))

    # One page of the flow ids of a partition, after the exclusive cursor
    # ("" = from the start): [ids, next_cursor], next_cursor "" when done.
    def list_flows_page(partition, cursor = "", count = 100)
      p = Args.int(partition, "partition", 0..(2**32 - 1))
      n = Args.int(count, "count", 1..1000)
      cur = cursor.nil? ? "" : Args.word(cursor, "cursor")
      extract = ->(op) { [Result.records(:ff_flow_list, op, :flow_id).map { |r| r[:flow_id] }, Result.cursor(op)] }
      call(extract) { |cb, ud| Native.ff_flow_list(native, p, cur, n, cb, ud, nil) }
    end

    # Every flow id of one partition, or of every partition (nil), page by
    # page (count ids per round trip). Without a block: an Enumerator.
    def list_flows(partition = nil, count: 100)
      Args.int(count, "count", 1..1000) # refused at the call, not at the first step
      Args.int(partition, "partition", 0..(2**32 - 1)) unless partition.nil?
      return enum_for(:list_flows, partition, count: count) unless block_given?

      parts = partition.nil? ? (0...Native.ff_client_partitions(native)) : [partition]
      parts.each do |p|
        cursor = ""
        loop do
          ids, cursor = list_flows_page(p, cursor, count)
          ids.each { |id| yield id }
          break if cursor.empty?
        end
      end
      nil
    end

    # The edges out of (:out) or into (:in) one member, by edge id:
    # [Flow::Edge] (edge_id, upstream, downstream, state).
    def list_edges(flow_id, execution_id, direction: :out)
      fid, eid = Args.id(flow_id, "flow_id"), Args.id(execution_id, "execution_id")
      dir = Args.word(direction, "direction")
      extract = lambda do |op|
        Result.records(:ff_flow_list_edges, op, :edge_id, :upstream, :downstream, :state).map { |r| Flow::Edge.new(**r) }
      end
      call(extract) { |cb, ud| Native.ff_flow_list_edges(native, fid, eid, dir, cb, ud, nil) }
    end

    # One edge in full: Flow::Edge. EdgeNotFound, FlowNotFound.
    def describe_edge(flow_id, edge_id)
      doc = call_op(:ff_flow_describe_edge, Args.id(flow_id, "flow_id"), Args.id(edge_id, "edge_id"))
      Flow::Edge.new(edge_id: doc["edge_id"], upstream: doc["upstream"], downstream: doc["downstream"],
                     state: doc["state"], data_passing: doc["data_passing"] == true, created_at: doc["created_at"],
                     resolved_at: doc["resolved_at"], upstream_outcome: doc["upstream_outcome"])
    end

    # The id of the flow an execution belongs to; nil when it is in none.
    def flow_of(execution_id)
      id = call_op(:ff_execution_flow_id, Args.id(execution_id, "execution_id"))
      id.empty? ? nil : id
    end

    # The upstreams of an execution, by upstream id: [Flow::Parent]; [] for
    # an execution in no flow. Task#parent_results is this for the task.
    def parent_results(execution_id)
      eid = Args.id(execution_id, "execution_id")
      extract = lambda do |op|
        Result.records(:ff_execution_parent_results, op, :upstream, :edge_id, :state, :has_result, bytes: [:result])
              .map do |r|
          Flow::Parent.new(upstream: r[:upstream], edge_id: r[:edge_id], state: r[:state],
                           result: r[:has_result] == "1" ? r[:result] : nil)
        end
      end
      call(extract) { |cb, ud| Native.ff_execution_parent_results(native, eid, cb, ud, nil) }
    end

    # Cancel a flow. policy is required, never defaulted (nil or an unknown
    # word: InvalidFlowPolicy): :cancel_all (every member not ended, running
    # ones too), :cancel_pending (the members that never ran; running ones
    # finish) or :flow_only (members untouched). Returns Flow::Cancellation.
    # FlowAlreadyTerminal for a completed or failed flow.
    #
    # wait: true then waits (woken by the settling, not polling) until every
    # member has ended, at most timeout seconds (nil: as long as it takes);
    # the members still not ended then are in partially_cancelled.
    def cancel_flow(flow_id, policy: nil, reason: nil, wait: false, timeout: nil)
      fid, pol = Args.id(flow_id, "flow_id"), Args.word(policy, "policy")
      why = reason.nil? ? nil : Args.word(reason, "reason")
      Args.bool(wait, "wait")
      Units.ms(timeout, "timeout") unless timeout.nil? # refused before the cancel, not after
      extract = lambda do |op|
        Flow::Cancellation.new(policy: Result.text(op), repeat: Result.int(op) == 1,
                               cancelled: Result.records(:ff_flow_cancel, op, :eid).map { |r| r[:eid] },
                               partially_cancelled: [])
      end
      done = call(extract) { |cb, ud| Native.ff_flow_cancel(native, fid, pol, why, cb, ud, nil) }
      return done unless wait

      begin
        wait_flow(fid, timeout: timeout)
      rescue Timeout
        left = describe_flow(fid)["members"].reject { |m| Flow::ENDED_STATES.include?(m["public_state"]) }
        done.partially_cancelled = left.map { |m| m["execution_id"] }
      end
      done
    end

    # The members of every child flow an execution spawned, by flow then
    # member id: [Flow::Child]; [] without children. ExecutionNotFound.
    def children(execution_id)
      eid = Args.id(execution_id, "execution_id")
      extract = lambda do |op|
        Result.records(:ff_execution_children, op, :flow_id, :eid, :public_state, :has_result, bytes: [:result])
              .map do |r|
          Flow::Child.new(flow_id: r[:flow_id], execution_id: r[:eid], state: r[:public_state],
                          result: r[:has_result] == "1" ? r[:result] : nil)
        end
      end
      call(extract) { |cb, ud| Native.ff_execution_children(native, eid, cb, ud, nil) }
    end

    # One page of a partition's completion feed after the exclusive cursor
    # ("" or nil: from the oldest entry kept; "$": an empty page whose
    # cursor is the newest entry): every ending of a flow member and every
    # flow settling, in order. Store the page's cursor to resume after a
    # restart. Returns Flow::CompletionPage.
    def read_completions(partition, cursor = "", count = 100)
      p = Args.int(partition, "partition", 0..(2**32 - 1))
      cur = cursor.nil? ? "" : Args.word(cursor, "cursor")
      n = Args.int(count, "count", 1..1000)
      call(method(:completion_page)) { |cb, ud| Native.ff_flow_feed_read(native, p, cur, n, cb, ud, nil) }
    end

    # Follow a partition's completion feed: yield every Flow::Completion in
    # order, forever, or until nothing came for idle_timeout seconds. Woken
    # by each append (not polling). cursor: "$" (from now on), "" (from the
    # oldest entry kept) or the id of the last entry you processed (store
    # it, pass it again after a restart: nothing the retention kept is
    # missed). Without a block: an Enumerator.
    def follow_completions(partition, cursor = "$", count: 100, idle_timeout: nil, &block)
      Args.int(partition, "partition", 0..(2**32 - 1)) # refused at the call, not at the first step
      Args.int(count, "count", 1..1000)
      Args.word(cursor, "cursor")
      idle = idle_timeout.nil? ? nil : Units.ms(idle_timeout, "idle_timeout")
      return enum_for(:follow_completions, partition, cursor, count: count, idle_timeout: idle_timeout) unless block

      page = read_completions(partition, cursor, count)
      loop do
        page.entries.each(&block)
        cur = page.cursor
        begin
          page = call(method(:completion_page)) do |cb, ud|
            Native.ff_flow_feed_wait(native, partition, cur, count, idle || WAIT_ROUND_MS, cb, ud, nil)
          end
        rescue Timeout
          return nil if idle

          page = Flow::CompletionPage.new(entries: [], cursor: cur, gap: false)
        end
      end
    end

    # Wait until the flow has settled (its state is final and every member
    # has ended) and return its document (#describe_flow). Woken by the
    # settling itself, not polling. Timeout when timeout seconds (nil: as
    # long as it takes) passed first; FlowNotFound.
    def wait_flow(flow_id, timeout: nil)
      fid = Args.id(flow_id, "flow_id")
      round = ->(ms) { call_op(:ff_flow_wait, fid, ms) }
      return round.(Units.ms(timeout, "timeout")) if timeout

      loop do
        return round.(WAIT_ROUND_MS)
      rescue Timeout
        next
      end
    end

    private

    def completion_page(op)
      gap = Result.int(op) == 1
      entries = Result.records(:ff_flow_feed_read, op, :id, :flow_id, :eid, :outcome, :kind).each_with_index.map do |r, i|
        Flow::Completion.new(id: r[:id], flow_id: r[:flow_id], execution_id: r[:eid], outcome: r[:outcome],
                             kind: r[:kind], missed_before: gap && i.zero?)
      end
      Flow::CompletionPage.new(entries: entries, cursor: Result.cursor(op), gap: gap)
    end

    # A group's (policy, k, on_satisfied) as the C calls take them. The
    # words are the server's to check; all_of sends no k (the C side drops
    # it), so one given with it is refused here rather than ignored.
    def group_args(policy, k, on_satisfied, where)
      pol = Args.word(policy, "#{where}policy")
      kk = k.nil? ? 0 : Args.int(k, "#{where}k")
      os = Args.word(on_satisfied, "#{where}on_satisfied")
      if pol == "all_of"
        unless k.nil? && os.nil?
          raise FlowFabric.error_for(Native::FF_INVALID_FLOW_POLICY, "#{where}all_of takes no k and no on_satisfied")
        end
      else
        os ||= "cancel_remaining"
      end
      [pol, kk, os]
    end

    SPEC_OPTIONS = instance_method(:with_spec).parameters.filter_map { |type, name| name if type == :key }.freeze
    NOT_IN_A_FLOW_SUBMIT = %i[flow idempotency_key idempotency_ttl].freeze

    def member_refs(members)
      refs = {}
      members.each_with_index do |m, i|
        Args.invalid("members[#{i}]: expected a Hash with a kind:, got #{m.inspect}") unless m.is_a?(Hash)
        ref = m[:ref] || m["ref"]
        next if ref.nil?

        Args.invalid("members[#{i}]: ref #{ref.inspect} is an Integer (an index already names it)") if ref.is_a?(Integer)
        Args.invalid("members[#{i}]: ref #{ref.inspect} is used twice") if refs.key?(ref)
        refs[ref] = i
      end
      refs
    end

    def add_member(fs, member, i, flow_lane)
      opts = member.transform_keys(&:to_sym)
      opts.delete(:ref)
      kind = opts.delete(:kind) { Args.invalid("members[#{i}]: kind: is required") }
      payload = opts.delete(:payload)
      banned = opts.keys & NOT_IN_A_FLOW_SUBMIT
      unless banned.empty?
        Args.invalid("members[#{i}]: #{banned.map(&:inspect).join(", ")} not allowed in submit_flow " \
                     "(the flow id is the key of the whole submit)")
      end
      unknown = opts.keys - SPEC_OPTIONS
      Args.invalid("members[#{i}]: unknown #{unknown.map(&:inspect).join(", ")}") unless unknown.empty?
      opts[:lane] ||= flow_lane if flow_lane
      with_spec(Args.id(kind, "members[#{i}] kind"), payload, **opts) do |s|
        FlowFabric.check(Native.ff_flow_spec_add_member(fs, s, nil), "members[#{i}]")
      end
    end

    def add_spec_edge(fs, edge, j, refs, n)
      unless edge.is_a?(Array) && [2, 3].include?(edge.size)
        Args.invalid("edges[#{j}]: expected [up, down] or [up, down, pass_data: true], got #{edge.inspect}")
      end
      up = member_index(edge[0], refs, n, "edges[#{j}] up")
      down = member_index(edge[1], refs, n, "edges[#{j}] down")
      data = edge[2]
      data = data.transform_keys(&:to_sym).fetch(:pass_data) { Args.invalid("edges[#{j}]: expected pass_data:") } if data.is_a?(Hash)
      pass = data.nil? ? false : Args.bool(data, "edges[#{j}] pass_data")
      FlowFabric.check(Native.ff_flow_spec_add_edge(fs, up, down, pass ? Native::FF_FLOW_EDGE_DATA : 0), "edges[#{j}]")
    end

    def member_index(member, refs, n, what)
      return Args.int(member, what, 0..(n - 1)) if member.is_a?(Integer)

      refs.fetch(member) { Args.invalid("#{what}: #{member.inspect} is neither a member index nor a member's ref") }
    end
  end
end
