# frozen_string_literal: true

require "json"

module FlowFabric
  # Budgets (docs/budgets.md): spend limits in named dimensions, each with a
  # hard and a soft limit, checked before any usage applies. The C calls of
  # include/flowfabric/budget.h.
  module Budget
    # What #create_budget answered: created (false: the id existed and its
    # stored definition was kept), matches (the stored definition equals
    # the one asked for), next_reset_at (unix ms, nil = none).
    Created = Struct.new(:budget_id, :created, :matches, :next_reset_at, keyword_init: true) do
      def created? = created
      def matches? = matches
    end

    # What #report_usage answered: outcome "applied", "soft_breach",
    # "hard_breach" (nothing applied) or "already_applied" (the dedup key);
    # for a breach the dimension, its usage and the limit.
    Report = Struct.new(:outcome, :dimension, :usage, :limit, keyword_init: true) do
      def breached? = %w[soft_breach hard_breach].include?(outcome)
    end

    ON_HARD = %w[block cancel_pending notify].freeze
    ON_SOFT = %w[notify block].freeze

    module_function

    # An owned ff_budget_spec of `dimensions` ({name => hard} or
    # {name => [hard, soft]}) for the block's duration (the C calls copy it).
    def with_spec(dimensions)
      raise InvalidArgument.new("dimensions: at least one", status: Native::FF_EINVAL) if dimensions.empty?

      out = FFI::MemoryPointer.new(:pointer)
      FlowFabric.check(Native.ff_budget_spec_new(out))
      s = out.read_pointer
      begin
        dimensions.each do |name, lim|
          hard, soft = lim.is_a?(Array) ? lim : [lim, 0]
          FlowFabric.check(Native.ff_budget_spec_add_dimension(
                             s, Args.word(name, "dimension"), Args.int(hard, "#{name} hard limit", 0..(2**63 - 1)),
                             Args.int(soft, "#{name} soft limit", 0..(2**63 - 1))
                           ), "dimension #{name.inspect}")
        end
        yield s
      ensure
        Native.ff_budget_spec_free(s)
      end
    end

    # The C arrays of a usage report {dimension => delta}, checked before
    # anything is sent: [dimensions, deltas, n, the strings to keep alive].
    def usage_args(usage)
      unless usage.is_a?(Hash) && !usage.empty?
        raise InvalidArgument.new("usage: expected a Hash of at least one dimension => delta, got #{usage.inspect}",
                                  status: Native::FF_EINVAL)
      end

      dims, names = Units.c_strings(usage.keys.map { |k| Args.word(k, "dimension") })
      deltas = FFI::MemoryPointer.new(:int64, usage.size)
                                 .write_array_of_int64(usage.map { |k, v| Args.int(v, "usage[#{k}]", 0..(2**63 - 1)) })
      [dims, deltas, usage.size, names]
    end

    # A report's answer as a Report.
    def report_of(op)
      out = Result.text(op)
      it = Result.items(op)
      return Report.new(outcome: out) unless %w[soft_breach hard_breach].include?(out) && it.size >= 3

      Report.new(outcome: out, dimension: it[0], usage: Integer(it[1]), limit: Integer(it[2]))
    end

    def choice(value, allowed, what)
      v = value.to_s
      return v if allowed.include?(v)

      raise InvalidArgument.new("#{what} must be one of #{allowed.join(", ")}; got #{value.inspect}",
                                status: Native::FF_EINVAL)
    end
  end

  class Claim
    # Report spend under this claim's lease (Client#report_usage with
    # claim: self): the lease is checked first, the spend recorded for the
    # execution.
    def report_usage(budget_id, usage, dedup_key: nil)
      @client.report_usage(budget_id, usage, claim: self, dedup_key: dedup_key)
    end

    private

    def native_claim = @ptr
  end

  class Task
    # Report spend under this task's lease (Client#report_usage with the
    # task's claim: the lease is checked, the spend recorded for the
    # execution) and wait for the answer, a Budget::Report. A soft or hard
    # breach is also remembered: #budget_breached.
    def report_usage(budget_id, usage, dedup_key: nil)
      bid = Args.word(budget_id, "budget_id")
      dims, deltas, n, _names = Budget.usage_args(usage)
      dk = Args.word(dedup_key, "dedup_key")
      ptr = live_ptr
      r = Worker.future(Budget.method(:report_of)) do |out|
        Native.ff_task_report_usage(ptr, bid, dims, deltas, n, dk, nil, nil, out)
      end
      note_breach({ "soft_breach" => 1, "hard_breach" => 2 }.fetch(r.outcome, 0))
      r
    end

    # :hard, :soft or nil: the worst breach a report through this task
    # answered (kept after the task finished).
    def budget_breached
      note_breach(Native.ff_task_budget_breached(@ptr)) unless @ptr.nil?
      { 1 => :soft, 2 => :hard }[@breached]
    end

    private

    def note_breach(level)
      @breached = [@breached || 0, level].max
    end
  end

  class Client
    # Create a budget: dimensions {name => hard} or {name => [hard, soft]}
    # (0 = no limit); on_hard :block, :cancel_pending or :notify; on_soft
    # :notify or :block; reset_interval seconds (the engine resets). An
    # existing id keeps its definition (Budget::Created#matches? says
    # whether yours was the same); #update_budget changes limits.
    def create_budget(budget_id, dimensions, on_hard: :notify, on_soft: :notify, reset_interval: nil,
                      scope: ["global", nil])
      bid = Args.word(budget_id, "budget_id")
      oh = Budget.choice(on_hard, Budget::ON_HARD, "on_hard")
      os = Budget.choice(on_soft, Budget::ON_SOFT, "on_soft")
      Budget.with_spec(dimensions) do |s|
        FlowFabric.check(Native.ff_budget_spec_set_actions(s, oh, os), "actions")
        unless reset_interval.nil?
          FlowFabric.check(Native.ff_budget_spec_set_reset_interval(s, Units.ms(reset_interval, "reset_interval")),
                           "reset_interval")
        end
        FlowFabric.check(Native.ff_budget_spec_set_scope(s, scope[0].to_s, scope[1]&.to_s), "scope")
        extract = lambda do |op|
          it = Result.items(op)
          Budget::Created.new(budget_id: bid, created: Result.text(op) == "created", matches: Result.int(op) == 1,
                              next_reset_at: it[0].to_s.empty? ? nil : Integer(it[0]))
        end
        call(extract) { |cb, ud| Native.ff_budget_create(native, bid, s, cb, ud, nil) }
      end
    end

    # Change the limits of the given dimensions ([0, 0] removes them);
    # returns how many dimensions have a limit now.
    def update_budget(budget_id, dimensions)
      bid = Args.word(budget_id, "budget_id")
      Budget.with_spec(dimensions) do |s|
        call(Result.method(:int)) { |cb, ud| Native.ff_budget_update(native, bid, s, cb, ud, nil) }
      end
    end

    # Report spend {dimension => delta}, all applied or none (check first:
    # a delta past a hard limit applies nothing). claim: a running
    # execution's claim (its lease is checked, its spend recorded for
    # #release_budget). Returns a Budget::Report; a breach is an answer.
    def report_usage(budget_id, usage, claim: nil, dedup_key: nil)
      bid = Args.word(budget_id, "budget_id")
      dims, deltas, n, _names = Budget.usage_args(usage)
      dk = Args.word(dedup_key, "dedup_key")
      cl = claim.nil? ? nil : claim.send(:native_claim)
      call(Budget.method(:report_of)) do |cb, ud|
        Native.ff_budget_report_usage(native, cl, bid, dims, deltas, n, dk, cb, ud, nil)
      end
    end

    # Give back exactly what execution_id recorded: true, or false for a
    # repeat (idempotent).
    def release_budget(budget_id, execution_id)
      bid, eid = Args.word(budget_id, "budget_id"), Args.id(execution_id, "execution_id")
      call(->(op) { Result.text(op) == "released" }) { |cb, ud| Native.ff_budget_release(native, bid, eid, cb, ud, nil) }
    end

    # Usage back to 0 now; returns the resets so far.
    def reset_budget(budget_id)
      bid = Args.word(budget_id, "budget_id")
      call(Result.method(:int)) { |cb, ud| Native.ff_budget_reset(native, bid, cb, ud, nil) }
    end

    # The budget's document (limits, usage, counters, next reset), a Hash.
    def describe_budget(budget_id)
      bid = Args.word(budget_id, "budget_id")
      call(Result.method(:json)) { |cb, ud| Native.ff_budget_describe(native, bid, cb, ud, nil) }
    end
  end
end
