# frozen_string_literal: true

require "io/wait"

module FlowFabric
  # Runs C operations in callback mode and delivers their completions on Ruby
  # threads only: the client's completion fd is wrapped in an IO and waited
  # on with wait_readable (so a Fiber scheduler can run other fibers), then
  # ff_client_dispatch runs the queued callbacks on the waiting thread. The
  # library's I/O thread never calls into Ruby.
  #
  # One waiter at a time leads (waits on the fd and dispatches every queued
  # completion); the others sleep on a condition variable that the leader
  # signals after each round, so a completion dispatched for another thread
  # wakes it at once.
  class Dispatcher
    # The outcome of one operation: filled by its callback.
    Slot = Struct.new(:extract, :done, :value, :error)

    ROUND = 0.5 # seconds a leader waits on the fd before looking again

    def initialize(native_client)
      @c = native_client
      @io = IO.for_fd(Native.ff_client_fd(@c), autoclose: false)
      @mutex = Mutex.new
      @cv = ConditionVariable.new
      @leading = false
      @slots = {}
      @next_id = 0
      # One callback for every op, kept alive as long as the dispatcher; the
      # op's user data is the slot's id.
      @callback = FFI::Function.new(:void, %i[pointer pointer]) { |op, ud| complete(op, ud.address) }
    end

    # Start an op with `yield(callback, user_data)` (the C call's cb and ud
    # arguments; its out argument is nil), wait for it and return
    # extract.call(op), or raise the op's error.
    def run(extract)
      slot = Slot.new(extract, false, nil, nil)
      id = @mutex.synchronize { @slots[@next_id += 1] = slot; @next_id }
      status = yield(@callback, FFI::Pointer.new(id))
      if status != Native::FF_OK
        @mutex.synchronize { @slots.delete(id) }
        FlowFabric.check(status)
      end
      await(slot)
      raise slot.error if slot.error

      slot.value
    end

    private

    def complete(op, id)
      slot = @mutex.synchronize { @slots.delete(id) }
      return unless slot

      status = Native.ff_op_status(op)
      if status == Native::FF_OK
        begin
          slot.value = slot.extract.call(op)
        rescue StandardError => e
          slot.error = e
        end
      else
        slot.error = FlowFabric.op_error(op, status)
      end
      slot.done = true
    end

    def await(slot)
      @mutex.lock
      begin
        until slot.done
          if @leading
            @cv.wait(@mutex, ROUND)
            next
          end
          @leading = true
          @mutex.unlock
          begin
            @io.wait_readable(ROUND)
            Native.ff_client_dispatch(@c, 0)
          ensure
            @mutex.lock
            @leading = false
            @cv.broadcast
          end
        end
      ensure
        @mutex.unlock
      end
    end
  end

  # The exception of a failed op (server token, detail fields, the
  # library's explanation).
  def self.op_error(op, status)
    code = Native.ff_op_server_code(op).read_string
    n = Native.ff_op_detail_count(op)
    details = (0...n).map { |i| Native.ff_op_detail(op, i).read_string }
    error_for(status, Native.ff_op_errmsg(op).read_string, server_code: code, details: details)
  end
end
