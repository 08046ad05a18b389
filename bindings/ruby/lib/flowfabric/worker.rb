# frozen_string_literal: true

module FlowFabric
  # Raise it from a handler to fail the task with a category, and (with
  # retryable: false) to end the execution whatever the retry policy says.
  class TaskFailed < StandardError
    attr_reader :category, :retryable

    def initialize(reason, category: "error", retryable: true)
      @category = category
      @retryable = retryable
      super(reason)
    end
  end

  # One claimed execution handed to a handler: its payload and identity; the
  # lease is renewed by the library while the handler runs.
  class Task
    attr_reader :execution_id, :kind, :lane, :namespace, :payload, :attempt_index, :attempt_id, :attempt_type,
                :lease_id, :lease_epoch

    def initialize(ptr, client)
      @ptr = ptr
      @client = client
      cl = Native.ff_task_claim(ptr)
      @execution_id = Result.str(Native.ff_claim_execution_id(cl))
      @kind = Result.str(Native.ff_claim_kind(cl))
      @lane = Result.str(Native.ff_claim_lane(cl))
      @namespace = Result.str(Native.ff_claim_namespace(cl))
      @attempt_index = Native.ff_claim_attempt_index(cl)
      @attempt_id = Result.str(Native.ff_claim_attempt_id(cl))
      # "initial", "retry", "reclaim", "replay" or "resumed" (after a suspend
      # or wait_children: the same attempt id as before)
      @attempt_type = Result.str(Native.ff_claim_attempt_type(cl))
      @lease_id = Result.str(Native.ff_claim_lease_id(cl))
      @lease_epoch = Native.ff_claim_lease_epoch(cl)
      len = FFI::MemoryPointer.new(:size_t)
      data = Native.ff_claim_payload(cl, len)
      n = len.read(:size_t)
      @payload = data.null? || n.zero? ? "".b : data.read_bytes(n)
    end

    def inspect = "#<FlowFabric::Task #{@execution_id} #{@kind} attempt=#{@attempt_index}>"

    # The status that ended the lease (Integer), or nil while it is held.
    def lost
      st = Native.ff_task_lost(@ptr)
      st.zero? ? nil : st
    end

    # Report progress (0..100); it does not wait for the server.
    def progress(percent, message = nil)
      FlowFabric.check(Native.ff_task_progress(@ptr, percent, message, nil, nil, nil), "progress")
    end

    # Create a pending waitpoint before suspending: hand its token out now,
    # keep working; signals sent meanwhile are buffered. Returns
    # {id:, key:, token:, expires_at:} (unix ms).
    def create_waitpoint(key, expires_in: 3600)
      ms = Units.ms(expires_in, "expires_in")
      extract = lambda do |op|
        id, wkey, token = Result.items(op)
        { id: id, key: wkey, token: token, expires_at: Result.int(op) }
      end
      Worker.future(extract) { |out| Native.ff_task_create_waitpoint(live_ptr, key, ms, nil, nil, out) }
    end

    # Release the lease and wait for signals: the task's finishing call (the
    # handler's return value is then ignored). waitpoints: keys of fresh
    # waitpoints and/or waitpoints from #create_waitpoint; condition: a Hash
    # (single / all_of / count, see docs/signals.md), required for several.
    # Returns {outcome:, waitpoints: [{id:, key:, token:}]}; outcome
    # "suspended", or "already_satisfied" (buffered signals matched: the task
    # goes on and still owes a finishing call).
    def suspend(waitpoints, condition: nil, timeout: nil, timeout_behavior: "fail", reason: nil)
      spec = SuspendSpec.new(Array(waitpoints), condition, timeout, timeout_behavior, reason)
      extract = lambda do |op|
        items = Result.items(op)
        { outcome: Result.text(op),
          waitpoints: items.each_slice(3).map { |id, key, token| { id: id, key: key, token: token } } }
      end
      release_and_wait(extract, ->(r) { r[:outcome] }) do |ptr, out|
        Native.ff_task_suspend(ptr, spec.ptr, nil, nil, out)
      end
    ensure
      spec&.free
    end

    # Spawn a child flow of this execution: Client#submit_flow with the
    # parent set (the whole sub-DAG in one atomic call, on this execution's
    # partition; lane defaults to this task's lane). Up to 64 child flows,
    # then #wait_children. Returns Flow::Submitted.
    def spawn_children(members, edges = [], groups: nil, flow_id: nil, lane: nil)
      live_ptr
      @client.submit_flow(members, edges, groups: groups, flow_id: flow_id, lane: lane || @lane, parent: @execution_id)
    end

    # Wait for the child flows this execution spawned: they are sealed (no
    # member joins them any more). Returns "suspended": the task is over,
    # return from the handler (its value is ignored); when the last child
    # ends the execution is claimed again with attempt_type "resumed" (the
    # same attempt id) and the handler runs again: read #children there.
    # Or "already_satisfied": every child flow settled already, the lease is
    # kept and the handler goes on. timeout (seconds) with timeout_behavior
    # (fail, cancel, expire, auto_resume, escalate) acts as a suspension
    # timeout. NoChildren when nothing was spawned (the task is still yours).
    def wait_children(timeout: nil, timeout_behavior: "fail")
      ms = timeout.nil? ? 0 : Units.ms(timeout, "timeout")
      behavior = timeout.nil? ? nil : Args.word(timeout_behavior, "timeout_behavior")
      release_and_wait(Result.method(:text), ->(r) { r }) do |ptr, out|
        Native.ff_task_wait_children(ptr, ms, behavior, nil, nil, out)
      end
    end

    # The members of this execution's child flows with their states and
    # results: [Flow::Child] (Client#children).
    def children = @client.children(@execution_id)

    def finished? = @ptr.nil?

    # The upstreams of this execution in its flow, by upstream id:
    # [Flow::Parent] with the result bytes a data-passing edge carries
    # (Client#parent_results); [] outside a flow.
    def parent_results = @client.parent_results(@execution_id)

    # The one finishing call (internal: the worker makes it from the
    # handler's outcome). Returns the outcome text.
    def finish(how, *args)
      ptr = live_ptr
      @ptr = nil
      Worker.future(Result.of(how)) { |out| Native.public_send(how, ptr, *args, nil, nil, out) }
    end

    private

    # A call that may release the lease (suspend, wait_children): unless it
    # answered "already_satisfied" (outcome.call(result)) the task is over
    # and the worker makes no finishing call. A refusal raises and leaves
    # the task to the handler.
    def release_and_wait(extract, outcome)
      ptr = live_ptr
      result = Worker.future(extract) { |out| yield(ptr, out) }
      @ptr = nil unless outcome.call(result) == "already_satisfied"
      result
    end

    def live_ptr
      raise InvalidArgument.new("task #{@execution_id} was already finished", status: Native::FF_EINVAL) if @ptr.nil?

      @ptr
    end
  end

  # An owned ff_suspend_spec.
  class SuspendSpec
    attr_reader :ptr

    def initialize(waitpoints, condition, timeout, behavior, reason)
      raise InvalidArgument.new("suspend needs at least one waitpoint", status: Native::FF_EINVAL) if waitpoints.empty?

      out = FFI::MemoryPointer.new(:pointer)
      FlowFabric.check(Native.ff_suspend_spec_new(out))
      @ptr = out.read_pointer
      waitpoints.each do |w|
        if w.is_a?(Hash)
          FlowFabric.check(Native.ff_suspend_spec_use_pending(@ptr, w.fetch(:id)), "pending waitpoint")
          condition ||= { "single" => { "key" => w.fetch(:key) } } if waitpoints.size == 1
        else
          FlowFabric.check(Native.ff_suspend_spec_add_waitpoint(@ptr, w.to_s), "waitpoint key")
        end
      end
      FlowFabric.check(Native.ff_suspend_spec_set_condition_json(@ptr, JSON.generate(condition)), "condition") if condition
      FlowFabric.check(Native.ff_suspend_spec_set_timeout(@ptr, Units.ms(timeout, "timeout"), behavior), "timeout") if timeout
      FlowFabric.check(Native.ff_suspend_spec_set_reason(@ptr, reason), "reason") if reason
    rescue StandardError
      free
      raise
    end

    def free
      Native.ff_suspend_spec_free(@ptr) if @ptr
      @ptr = nil
    end
  end

  # Runs handlers for claimed executions on Ruby threads, on the C worker
  # runtime in pull mode: the library claims, renews leases and wakes up on
  # its own I/O thread; `concurrency` Ruby threads pull the tasks
  # (ff_worker_next_task, GVL released while waiting) and run the handlers.
  # No C thread calls into Ruby.
  class Worker
    PULL_WAIT_MS = 250

    attr_reader :client, :concurrency

    def initialize(client, lanes: ["default"], concurrency: 1, lease_ttl: 30, worker_id: "ruby-worker",
                   instance_id: nil, capabilities: [], engine: true, poll_interval: nil)
      @client = client
      @concurrency = concurrency
      @handlers = {}
      @options = { lanes: Array(lanes), lease_ttl: lease_ttl, worker_id: worker_id, instance_id: instance_id,
                   capabilities: capabilities, engine: engine, poll_interval: poll_interval }
      @stats = Hash.new(0)
      @stats_mutex = Mutex.new
      @w = nil
    end

    # Register the handler of an execution kind (nil: every kind without its
    # own). Its return value (a String, nil for none) completes the task; an
    # exception fails it (TaskFailed chooses category and retry).
    def task(kind = nil, &handler)
      raise ArgumentError, "task needs a block" unless handler

      @handlers[kind] = handler
      self
    end

    # Counters of this run: completed, failed, errors (finishing calls refused).
    def stats = @stats_mutex.synchronize { @stats.dup }

    # Work until max_tasks finished, or idle_timeout (s) passed without a
    # task, or #stop (or SIGINT/SIGTERM with handle_signals). Blocks the
    # calling thread; the handlers run on `concurrency` threads.
    def run(max_tasks: nil, idle_timeout: nil, handle_signals: true)
      raise InvalidArgument.new("no handler registered (worker.task(kind) { ... })", status: Native::FF_EINVAL) if @handlers.empty?

      start
      previous = trap_signals if handle_signals
      @max_tasks = max_tasks
      @idle_timeout = idle_timeout
      @last_activity = monotonic
      threads = @concurrency.times.map { Thread.new { pull_loop } }
      join_all(threads)
    ensure
      restore_signals(previous) if previous
      # ff_worker_free must not run under a pull thread still inside the
      # library (run left by an exception, e.g. Interrupt during the join).
      if threads&.any?(&:alive?)
        stop_quietly
        join_all(threads, quiet: true)
      end
      close_native
    end

    # Begin a graceful stop: no new claims; tasks in flight get `grace`
    # seconds (default: the lease ttl) to finish.
    def stop(grace: nil)
      w = @w
      return unless w

      @stopping = true
      ms = grace.nil? ? Units.ms(@options[:lease_ttl], "lease_ttl") : Units.ms(grace, "grace")
      FlowFabric.check(Native.ff_worker_stop(w, ms), "stop")
    end

    # Run a future-mode task call (yield(out)) and return extract.call(op).
    def self.future(extract)
      out = FFI::MemoryPointer.new(:pointer)
      st = yield(out)
      FlowFabric.check(st) if st != Native::FF_OK
      op = out.read_pointer
      begin
        st = Native.ff_op_wait(op, -1)
        raise FlowFabric.op_error(op, st) if st != Native::FF_OK

        extract.call(op)
      ensure
        Native.ff_op_free(op)
      end
    end

    private

    def monotonic = Process.clock_gettime(Process::CLOCK_MONOTONIC)

    def start
      po = FFI::MemoryPointer.new(:pointer)
      FlowFabric.check(Native.ff_worker_opts_new(po))
      o = po.read_pointer
      begin
        opt = @options
        FlowFabric.check(Native.ff_worker_opts_set_pull(o, 1))
        FlowFabric.check(Native.ff_worker_opts_set_worker_id(o, opt[:worker_id]), "worker_id")
        FlowFabric.check(Native.ff_worker_opts_set_instance_id(o, opt[:instance_id]), "instance_id") if opt[:instance_id]
        opt[:lanes].each { |l| FlowFabric.check(Native.ff_worker_opts_add_lane(o, l), "lane") }
        opt[:capabilities].each { |c| FlowFabric.check(Native.ff_worker_opts_add_capability(o, c), "capability") }
        FlowFabric.check(Native.ff_worker_opts_set_concurrency(o, @concurrency), "concurrency")
        FlowFabric.check(Native.ff_worker_opts_set_lease_ttl_ms(o, Units.ms(opt[:lease_ttl], "lease_ttl")), "lease_ttl")
        if opt[:poll_interval]
          FlowFabric.check(Native.ff_worker_opts_set_poll_ms(o, Units.ms(opt[:poll_interval], "poll_interval")),
                           "poll_interval")
        end
        FlowFabric.check(Native.ff_worker_opts_set_engine(o, opt[:engine] ? 1 : 0))
        out = FFI::MemoryPointer.new(:pointer)
        FlowFabric.check(Native.ff_worker_new(out, @client.native, o), "worker")
        @w = out.read_pointer
        st = Native.ff_worker_start(@w)
        if st != Native::FF_OK
          close_native
          FlowFabric.check(st, "worker start")
        end
      ensure
        Native.ff_worker_opts_free(o)
      end
    end

    # Joins every pull thread, also when one of them failed: the worker is
    # stopped first so the others return. Re-raises the first failure unless
    # quiet.
    def join_all(threads, quiet: false)
      failure = nil
      threads.each do |t|
        t.join
      rescue Exception => e # rubocop:disable Lint/RescueException -- re-raised below
        failure ||= e
        stop_quietly
      end
      raise failure if failure && !quiet
    end

    def stop_quietly
      stop unless @stopping
    rescue FlowFabric::Error
      nil
    end

    def close_native
      w = @w
      @w = nil
      Native.ff_worker_free(w) if w
    end

    def pull_loop
      out = FFI::MemoryPointer.new(:pointer)
      loop do
        st = Native.ff_worker_next_task(@w, out, PULL_WAIT_MS)
        case st
        when Native::FF_OK
          @last_activity = monotonic
          handle(Task.new(out.read_pointer, @client))
          stop if @max_tasks && stats[:finished] >= @max_tasks && !@stopping
        when Native::FF_EAGAIN
          stop if @idle_timeout && !@stopping && monotonic - @last_activity >= @idle_timeout
        when Native::FF_ECLOSED
          return
        else
          FlowFabric.check(st, "next task")
        end
      end
    end

    def handle(task)
      handler = @handlers[task.kind] || @handlers[nil]
      outcome =
        begin
          raise TaskFailed.new("no handler for kind #{task.kind.inspect}", category: "no_handler") unless handler

          result = handler.call(task)
          if task.finished? # the handler suspended it
            :suspended
          else
            task.finish(:ff_task_complete, *bytes_and_len(result))
            :completed
          end
        rescue TaskFailed => e
          task.finish(:ff_task_fail_with, e.message, e.category, e.retryable ? 0 : Native::FF_FAIL_NO_RETRY)
          :failed
        rescue StandardError => e
          task.finish(:ff_task_fail_with, "#{e.class}: #{e.message}", "error", 0)
          :failed
        end
      count(outcome)
    rescue FlowFabricError => e
      # the finishing call was refused (lease lost meanwhile, ...): the
      # execution is recovered by the server; keep working
      count(:errors)
      warn("flowfabric worker: #{task.execution_id}: #{e.message}") unless e.is_a?(LeaseError) || e.status == Native::FF_ECANCELED
    end

    def bytes_and_len(result)
      data = Units.bytes(result)
      [data, data.bytesize]
    end

    def count(what)
      @stats_mutex.synchronize do
        @stats[what] += 1
        @stats[:finished] += 1
      end
    end

    def trap_signals
      %w[INT TERM].to_h do |sig|
        # a trap handler may not take locks: stop from a fresh thread
        [sig, Signal.trap(sig) { Thread.new { stop } }]
      end
    end

    def restore_signals(previous)
      previous.each { |sig, handler| Signal.trap(sig, handler || "DEFAULT") }
    end
  end
end
