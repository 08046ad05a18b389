# frozen_string_literal: true

require "json"

module FlowFabric
  # Seconds (Numeric) -> whole milliseconds; Time -> unix milliseconds.
  module Units
    module_function

    def ms(seconds, what)
      unless seconds.is_a?(Numeric) && seconds.real? && seconds.finite?
        raise InvalidArgument.new("#{what}: expected a finite number of seconds, got #{seconds.inspect}",
                                  status: Native::FF_EINVAL)
      end
      (seconds * 1000).round
    end

    def unix_ms(at, what)
      return (at.to_r * 1000).round if at.is_a?(Time)

      raise InvalidArgument.new("#{what}: expected a Time, got #{at.inspect}", status: Native::FF_EINVAL)
    end

    def bytes(data)
      s = data.nil? ? "" : data.to_s
      s.b
    end

    # A `const char *const *` of strings: [array, the strings it points to].
    # The caller keeps both until the C call returned (ruby-ffi does not keep
    # the strings alive through the array).
    def c_strings(strings)
      keep = strings.map { |v| FFI::MemoryPointer.from_string(v) }
      [FFI::MemoryPointer.new(:pointer, [keep.size, 1].max).write_array_of_pointer(keep), keep]
    end
  end

  # Checks of call arguments made before anything is sent: a wrong type is
  # an InvalidArgument naming the argument (not ruby-ffi's TypeError or
  # RangeError). The values themselves (id syntax, policy words) are the
  # library's and the server's to judge, so each rule lives in one place; a
  # range is checked here only where the C call would read a value
  # otherwise (0 = "the default limit", a partition past uint32).
  module Args
    module_function

    def invalid(message) = raise(InvalidArgument.new(message, status: Native::FF_EINVAL))

    # A required id or name: a non-empty String.
    def id(value, what)
      return value if value.is_a?(String) && !value.empty?

      invalid("#{what}: expected a non-empty String, got #{value.inspect}")
    end

    # A word of a fixed vocabulary (a policy, a direction): a String or a
    # Symbol, as a String; nil stays nil (the library refuses it typed).
    def word(value, what)
      return value.to_s if value.is_a?(String) || value.is_a?(Symbol)
      return nil if value.nil?

      invalid("#{what}: expected a String or Symbol, got #{value.inspect}")
    end

    def int(value, what, range = nil)
      return value if value.is_a?(Integer) && (range.nil? || range.cover?(value))

      invalid("#{what}: expected an Integer#{range ? " in #{range}" : ""}, got #{value.inspect}")
    end

    def bool(value, what)
      return value if [true, false].include?(value)

      invalid("#{what}: expected true or false, got #{value.inspect}")
    end

    # The budget ids of a submit or a flow: an Array (nil: none); a bare
    # String is refused rather than taken as one id.
    def budgets(value)
      return [] if value.nil?
      invalid("budgets: expected an Array of budget ids, got #{value.inspect}") unless value.is_a?(Array)

      value.map { |b| word(b, "budget") || invalid("budgets: expected budget ids, got nil in #{value.inspect}") }
    end
  end

  # Readers of a successful op's result, shared by every call.
  module Result
    module_function

    # How each @yields kind is read; "claims" and "reply" need their
    # caller's context and have no reader here.
    READERS = { text: :text, int: :int, bytes: :bytes, json: :json, execution_id: :execution_id, items: :items,
                cursor: :cursor, none: :none }.freeze

    # The reader of C op `fname`'s declared result (Native::YIELDS, from the
    # headers' @yields tags): its first kind; a paged listing (one that also
    # yields a cursor) reads [page, next_cursor].
    def of(fname)
      kinds = Native::YIELDS.fetch(fname) { raise ArgumentError, "#{fname} is not a C op" }
      name = READERS.fetch(kinds.first) { raise ArgumentError, "#{fname}: no reader for its #{kinds.first} result" }
      read = method(name)
      return read if kinds.first == :cursor || !kinds.include?(:cursor)

      ->(op) { [read.call(op), cursor(op)] }
    end

    def none(_op) = nil

    def text(op) = str(Native.ff_op_text(op))
    def int(op) = Native.ff_op_int(op)
    def json(op) = JSON.parse(str(Native.ff_op_json(op)))
    def execution_id(op) = str(Native.ff_op_execution_id(op))
    def cursor(op) = str(Native.ff_op_cursor(op))

    def bytes(op)
      len = FFI::MemoryPointer.new(:size_t)
      ptr = Native.ff_op_bytes(op, len)
      n = len.read(:size_t)
      ptr.null? || n.zero? ? "".b : ptr.read_bytes(n)
    end

    def items(op)
      (0...Native.ff_op_item_count(op)).map { |i| str(Native.ff_op_item(op, i)) }
    end

    # Item i as bytes (binary-safe: a result may hold NULs).
    def item_bytes(op, i)
      len = FFI::MemoryPointer.new(:size_t)
      ptr = Native.ff_op_item_bytes(op, i, len)
      n = len.read(:size_t)
      ptr.null? || n.zero? ? "".b : ptr.read_bytes(n)
    end

    # The records of op `fname`, by the item layout its @yields names
    # (Native::ITEM_LAYOUTS): one Hash per record of the given fields, each
    # read at its FF_ITEMS_<LAYOUT>_<FIELD> position, as text, or as bytes
    # for the fields in `bytes` (a field the layout lacks raises NameError:
    # the headers and this code disagree).
    def records(fname, op, *fields, bytes: [])
      layout = Native::ITEM_LAYOUTS.fetch(fname) { raise ArgumentError, "#{fname} names no item layout" }
      stride = Native.const_get("#{layout}_STRIDE")
      at = (fields + bytes).to_h { |f| [f, Native.const_get("#{layout}_#{f.to_s.upcase}")] }
      (0...Native.ff_op_item_count(op) / stride).map do |r|
        at.to_h do |f, i|
          pos = r * stride + i
          [f, bytes.include?(f) ? item_bytes(op, pos) : str(Native.ff_op_item(op, pos))]
        end
      end
    end

    def str(ptr) = ptr.null? ? "" : ptr.read_string.force_encoding(Encoding::UTF_8)
  end

  # A connection to one FlowFabric deployment. Thread-safe: share one per
  # process. Every call is one C operation whose completion is delivered on
  # the calling Ruby thread (see Dispatcher).
  class Client
    attr_reader :url

    # url: "redis://[user:password@]host:port[/db]", "unix:///path", or nil
    # (FF_URL, else the embedded server). timeout: per-call deadline (s).
    def initialize(url = nil, timeout: nil, connect_timeout: nil, hmac_secret: nil, data_dir: nil)
      @config = { url: url, timeout: timeout, connect_timeout: connect_timeout,
                  hmac_secret: hmac_secret, data_dir: data_dir }
      open_native
    end

    # Frees the connection; calls in flight end with TransportError. Idempotent.
    def close
      c = @native
      @native = nil
      @dispatcher = nil
      Native.ff_client_free(c) if c && @pid == Process.pid
      nil
    end

    def closed? = @native.nil?

    def inspect = "#<FlowFabric::Client #{@url}>"

    # ------------------------------------------------------------ submit
    # Submit one execution; returns its id. payload: bytes (String).
    # retry_policy: {max_retries:, backoff: "fixed"|"exponential", initial:, max:,
    # multiplier:, jitter:, categories: [...]} (durations in seconds).
    # flow: submit into this flow (#create_flow): the id is minted on the
    # flow's partition and the create joins the flow in the same atomic step;
    # the lane must map to the flow's partition (the flow's own lane does).
    def submit(kind, payload = nil, **options)
      with_spec(kind, payload, **options) { |s| call_op(:ff_execution_create, s) }
    end

    def submit_json(kind, obj, **kw) = submit(kind, JSON.generate(obj), **kw)

    # An ff_exec_spec filled from submit's arguments, handed to the block
    # and freed after it. Unknown options raise ArgumentError (Ruby's own).
    def with_spec(kind, payload = nil, lane: "default", priority: 0, delay: nil, delay_until: nil,
                  deadline: nil, capabilities: [], tags: {}, idempotency_key: nil, idempotency_ttl: nil,
                  namespace: nil, retry_policy: nil, non_retryable: nil, attempt_timeout: nil, max_reclaims: nil,
                  max_replays: nil, execution_id: nil, policy: nil, flow: nil, budgets: [], group: nil)
      spec = new_spec(kind)
      begin
        set = ->(st, what) { FlowFabric.check(st, what) }
        s = spec.read_pointer
        set.(Native.ff_exec_spec_set_lane(s, lane), "lane")
        data = Units.bytes(payload)
        set.(Native.ff_exec_spec_set_payload(s, data, data.bytesize), "payload")
        set.(Native.ff_exec_spec_set_priority(s, priority), "priority")
        set.(Native.ff_exec_spec_set_namespace(s, namespace), "namespace") if namespace
        set.(Native.ff_exec_spec_set_delay_ms(s, Units.ms(delay, "delay")), "delay") if delay
        if delay_until
          set.(Native.ff_exec_spec_set_delay_until_ms(s, Units.unix_ms(delay_until, "delay_until")), "delay_until")
        end
        set.(Native.ff_exec_spec_set_deadline_ms(s, Units.unix_ms(deadline, "deadline")), "deadline") if deadline
        capabilities.each { |cap| set.(Native.ff_exec_spec_add_capability(s, cap), "capability") }
        tags.each { |k, v| set.(Native.ff_exec_spec_add_tag(s, k.to_s, v.to_s), "tag") }
        if policy
          doc = policy.is_a?(String) ? policy : JSON.generate(policy)
          set.(Native.ff_exec_spec_set_policy_json(s, doc), "policy")
        end
        apply_retry(s, retry_policy) if retry_policy
        set.(Native.ff_exec_spec_set_non_retryable(s, Array(non_retryable).join(",")), "non_retryable") if non_retryable
        if attempt_timeout
          set.(Native.ff_exec_spec_set_attempt_timeout_ms(s, Units.ms(attempt_timeout, "attempt_timeout")),
               "attempt_timeout")
        end
        if max_reclaims || max_replays
          set.(Native.ff_exec_spec_set_limits(s, max_reclaims || -1, max_replays || -1), "limits")
        end
        if idempotency_key
          ttl = idempotency_ttl ? Units.ms(idempotency_ttl, "idempotency_ttl") : 0
          set.(Native.ff_exec_spec_set_idempotency_key(s, idempotency_key, ttl), "idempotency_key")
        end
        set.(Native.ff_exec_spec_set_execution_id(s, execution_id), "execution_id") if execution_id
        set.(Native.ff_exec_spec_set_flow(s, Args.id(flow, "flow")), "flow") if flow
        Args.budgets(budgets).each { |b| set.(Native.ff_exec_spec_add_budget(s, b), "budget #{b}") }
        set.(Native.ff_exec_spec_set_group(s, group), "group") if group
        yield s
      ensure
        Native.ff_exec_spec_free(spec.read_pointer)
      end
    end
    private :with_spec

    # ------------------------------------------------------------- reads
    # The snapshot document (docs/c-api.md#snapshot) as a Hash.
    def describe(eid) = call_op(:ff_execution_describe, eid)

    def state(eid) = call(Result.method(:text)) { |cb, ud| Native.ff_execution_describe(native, eid, cb, ud, nil) }

    # Result bytes of a completed execution; raises ExecutionFailed,
    # ExecutionCancelled, ... when it ended otherwise, ExecutionNotTerminal
    # while it runs.
    def result(eid) = call_op(:ff_execution_result, eid)

    def result_json(eid) = JSON.parse(result(eid))

    # Wait (woken by the server, not polling) until the execution ended and
    # return what #result returns then. timeout in seconds, nil = no limit.
    def wait(eid, timeout: nil)
      round = ->(ms) { call_op(:ff_execution_wait, eid, ms) }
      return round.(Units.ms(timeout, "timeout")) if timeout

      loop do
        return round.(WAIT_ROUND_MS)
      rescue Timeout
        next
      end
    end
    WAIT_ROUND_MS = 30 * 24 * 3600 * 1000

    def lanes = call_op(:ff_lanes_list)

    def lane_counts(lane) = call_op(:ff_lane_counts, lane)

    # One page of a lane's executions in a state: [ids, next_cursor]
    # ("0" when done).
    def list_lane_page(lane, state = "waiting", cursor = "0", count = 100)
      call_op(:ff_execution_list_lane, lane, state, cursor, count)
    end

    # Every execution id of a lane in a state (pages through the listing).
    def list_lane(lane, state = "waiting", count: 100)
      return enum_for(:list_lane, lane, state, count: count) unless block_given?

      cursor = "0"
      loop do
        ids, cursor = list_lane_page(lane, state, cursor, count)
        ids.each { |id| yield id }
        break if cursor == "0" || cursor.empty?
      end
    end

    # --------------------------------------------------------- operator
    def cancel(eid, reason: nil)
      call_op(:ff_execution_cancel, eid, reason)
    end

    def replay(eid) = call_op(:ff_execution_replay, eid)

    # Returns the old priority.
    def change_priority(eid, priority)
      call_op(:ff_execution_change_priority, eid, priority)
    end

    # {outcome:, lease_id:, lease_epoch:} (lease_id nil when none was current).
    def revoke_lease(eid, lease_id: nil, reason: nil)
      extract = lambda do |op|
        items = Result.items(op)
        { outcome: Result.text(op), lease_id: items[0], lease_epoch: items.empty? ? nil : Result.int(op) }
      end
      call(extract) { |cb, ud| Native.ff_execution_revoke_lease(native, eid, lease_id, reason, cb, ud, nil) }
    end

    # ------------------------------------------------------------ leases
    # Claim up to batch executions from lanes; returns [Claim].
    def claim(lanes, worker_id: "ruby-worker", instance_id: nil, lease_ttl: 30, batch: 1, capabilities: [])
      opts = FFI::MemoryPointer.new(:pointer)
      FlowFabric.check(Native.ff_claim_opts_new(opts))
      o = opts.read_pointer
      begin
        FlowFabric.check(Native.ff_claim_opts_set_worker_id(o, worker_id), "worker_id")
        FlowFabric.check(Native.ff_claim_opts_set_worker_instance_id(o, instance_id), "instance_id") if instance_id
        Array(lanes).each { |l| FlowFabric.check(Native.ff_claim_opts_add_lane(o, l), "lane") }
        capabilities.each { |cap| FlowFabric.check(Native.ff_claim_opts_add_capability(o, cap), "capability") }
        FlowFabric.check(Native.ff_claim_opts_set_lease_ttl_ms(o, Units.ms(lease_ttl, "lease_ttl")), "lease_ttl")
        FlowFabric.check(Native.ff_claim_opts_set_batch(o, batch), "batch")
        call(->(op) { Claim.take_all(self, op) }) { |cb, ud| Native.ff_lease_claim(native, o, cb, ud, nil) }
      ensure
        Native.ff_claim_opts_free(o)
      end
    end

    # ----------------------------------------------------------- signals
    # Deliver a signal to a waitpoint (token from the waitpoint's creator).
    # Returns the outcome text ("resumed", "buffered", ...).
    def signal(eid, waitpoint_id, token, name, payload: nil, source_type: "user", source_identity: "ruby",
               idempotency_key: nil)
      data = Units.bytes(payload)
      call_op(:ff_signal_deliver, eid, waitpoint_id, token, name, source_type, source_identity, data, data.bytesize,
              idempotency_key)
    end

    # The waitpoints of an execution, oldest first, never their tokens:
    # [{id:, key:, state:, kid:, fingerprint:, expires_at:, signal_names: [...]}].
    def waitpoints(eid)
      stride = Native::FF_WAITPOINT_ITEMS
      extract = lambda do |op|
        Result.items(op).each_slice(stride).map do |f|
          { id: f[Native::FF_WAITPOINT_ITEM_ID], key: f[Native::FF_WAITPOINT_ITEM_KEY],
            state: f[Native::FF_WAITPOINT_ITEM_STATE], kid: f[Native::FF_WAITPOINT_ITEM_KID],
            fingerprint: f[Native::FF_WAITPOINT_ITEM_FINGERPRINT],
            expires_at: f[Native::FF_WAITPOINT_ITEM_EXPIRES_AT].to_s.empty? ? nil : Integer(f[Native::FF_WAITPOINT_ITEM_EXPIRES_AT]),
            signal_names: f[Native::FF_WAITPOINT_ITEM_SIGNAL_NAMES].to_s.split(",") }
        end
      end
      call(extract) { |cb, ud| Native.ff_execution_waitpoints(native, eid, cb, ud, nil) }
    end

    # Rotate the waitpoint signing key on every partition (secret_hex nil:
    # 32 random bytes); tokens of the previous key verify for `grace`
    # seconds. Returns "rotated" or "noop".
    def rotate_secret(kid, secret_hex = nil, grace: 24 * 3600)
      call_op(:ff_secret_rotate, kid, secret_hex, Units.ms(grace, "grace"))
    end

    # The signing key ids (never the secrets) as a Hash.
    def secrets = call_op(:ff_secret_list)

    # ----------------------------------------------------------- internal
    # Run one C op (started by the block with cb, ud) and return
    # extract.call(op).
    def call(extract, &start)
      dispatcher.run(extract, &start)
    end

    # Run C op `fname` with the arguments after the client (and before cb,
    # ud, out) and return its declared result (Result.of).
    def call_op(fname, *args)
      c = native
      call(Result.of(fname)) { |cb, ud| Native.public_send(fname, c, *args, cb, ud, nil) }
    end

    # Every entry of a paged JSON listing ({list_key: [...], "next_cursor"}):
    # the block starts one page's op from (cursor, cb, ud).
    def all_pages(list_key)
      items = []
      cursor = nil
      loop do
        page = call(Result.method(:json)) { |cb, ud| yield(cursor, cb, ud) }
        items.concat(page[list_key] || [])
        cursor = page["next_cursor"]
        break if cursor.nil? || cursor.empty?
      end
      items
    end

    # The native handle; a forked child re-opens its own (the parent's I/O
    # thread does not exist in the child).
    def native
      raise TransportError.new("FF_ECLOSED: client is closed", status: Native::FF_ECLOSED) if @native.nil?

      open_native if @pid != Process.pid
      @native
    end

    private

    def dispatcher
      native
      @dispatcher
    end

    def open_native
      opts = FFI::MemoryPointer.new(:pointer)
      FlowFabric.check(Native.ff_client_opts_new(opts))
      o = opts.read_pointer
      begin
        cfg = @config
        FlowFabric.check(Native.ff_client_opts_set_url(o, cfg[:url]), "url") if cfg[:url]
        FlowFabric.check(Native.ff_client_opts_set_data_dir(o, cfg[:data_dir]), "data_dir") if cfg[:data_dir]
        FlowFabric.check(Native.ff_client_opts_set_hmac_secret(o, cfg[:hmac_secret]), "hmac_secret") if cfg[:hmac_secret]
        FlowFabric.check(Native.ff_client_opts_set_timeout_ms(o, Units.ms(cfg[:timeout], "timeout")), "timeout") if cfg[:timeout]
        if cfg[:connect_timeout]
          FlowFabric.check(Native.ff_client_opts_set_connect_timeout_ms(o, Units.ms(cfg[:connect_timeout], "connect_timeout")),
                           "connect_timeout")
        end
        out = FFI::MemoryPointer.new(:pointer)
        err = FFI::MemoryPointer.new(:char, 512)
        st = Native.ff_client_new(out, o, err, 512)
        raise FlowFabric.error_for(st, err.read_string) if st != Native::FF_OK

        @native = out.read_pointer
        @pid = Process.pid
        @url = Result.str(Native.ff_client_url(@native))
        @dispatcher = Dispatcher.new(@native)
      ensure
        Native.ff_client_opts_free(o)
      end
    end

    def new_spec(kind)
      spec = FFI::MemoryPointer.new(:pointer)
      FlowFabric.check(Native.ff_exec_spec_new(spec, kind), "kind")
      spec
    end

    def apply_retry(s, r)
      r = r.transform_keys(&:to_sym)
      st = Native.ff_exec_spec_set_retry(
        s, r.fetch(:max_retries, 3), (r[:backoff] || "exponential").to_s,
        Units.ms(r.fetch(:initial, 1), "retry initial"), Units.ms(r.fetch(:max, 60), "retry max"),
        r.fetch(:multiplier, 2.0).to_f, r.fetch(:jitter, 0.0).to_f, Array(r[:categories]).join(",")
      )
      FlowFabric.check(st, "retry")
    end
  end

  # Open a client (see Client.new); with a block, yields it and closes it.
  def self.connect(url = nil, **kw)
    client = Client.new(url, **kw)
    return client unless block_given?

    begin
      yield client
    ensure
      client.close
    end
  end
end
