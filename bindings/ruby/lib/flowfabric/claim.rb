# frozen_string_literal: true

module FlowFabric
  # A held lease on one execution: its payload and the fence every write
  # carries. Finish it with exactly one of complete / fail / cancel / delay.
  class Claim
    attr_reader :execution_id, :kind, :lane, :namespace, :payload, :attempt_index, :attempt_id,
                :lease_id, :lease_epoch

    # Every claim an op holds, owned from now on by Ruby (freed with the
    # Claim by the garbage collector, or at once by #free).
    def self.take_all(client, op)
      (0...Native.ff_op_claim_count(op)).map do |i|
        out = FFI::MemoryPointer.new(:pointer)
        FlowFabric.check(Native.ff_op_take_claim(op, i, out))
        new(client, out.read_pointer)
      end
    end

    def initialize(client, ptr)
      @client = client
      @ptr = FFI::AutoPointer.new(ptr, Native.method(:ff_claim_free))
      @execution_id = Result.str(Native.ff_claim_execution_id(ptr))
      @kind = Result.str(Native.ff_claim_kind(ptr))
      @lane = Result.str(Native.ff_claim_lane(ptr))
      @namespace = Result.str(Native.ff_claim_namespace(ptr))
      @attempt_index = Native.ff_claim_attempt_index(ptr)
      @attempt_id = Result.str(Native.ff_claim_attempt_id(ptr))
      @lease_id = Result.str(Native.ff_claim_lease_id(ptr))
      @lease_epoch = Native.ff_claim_lease_epoch(ptr)
      len = FFI::MemoryPointer.new(:size_t)
      data = Native.ff_claim_payload(ptr, len)
      n = len.read(:size_t)
      @payload = data.null? || n.zero? ? "".b : data.read_bytes(n)
    end

    def inspect = "#<FlowFabric::Claim #{@execution_id} #{@kind} epoch=#{@lease_epoch}>"

    # Extend the lease by its ttl; returns the new expiry (unix ms).
    def renew = op(:ff_lease_renew)

    # Report progress (0..100); returns nil once the server has it.
    def progress(percent, message = nil) = op(:ff_lease_progress, percent, message)

    def complete(result = nil)
      data = Units.bytes(result)
      op(:ff_lease_complete, data, data.bytesize)
    end

    # Fail this attempt; retried by the policy unless retryable: false (or the
    # category is non-retryable). Returns "retry_scheduled" or "failed".
    def fail(reason, category: nil, retryable: true)
      flags = retryable ? 0 : Native::FF_FAIL_NO_RETRY
      op(:ff_lease_fail_with, reason.to_s, category, flags)
    end

    def cancel(reason = nil)
      op(:ff_lease_cancel, reason)
    end

    # Give the execution back until at (a Time); at nil = claimable now.
    # Returns the time it is parked until (unix ms).
    def delay(at = nil)
      ms = at.nil? ? 0 : Units.unix_ms(at, "delay until")
      op(:ff_lease_delay, ms)
    end

    private

    # Run lease op `fname` on this claim (the arguments after the claim)
    # and return its declared result.
    def op(fname, *args) = @client.call_op(fname, @ptr, *args)
  end
end
