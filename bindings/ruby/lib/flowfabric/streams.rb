# frozen_string_literal: true

require "json"

module FlowFabric
  # Output streams (docs/streams.md): what a running attempt says while it
  # runs, per attempt, readable live and afterwards. The C calls of
  # include/flowfabric/stream.h.
  module Stream
    # One frame: id is its entry id ("ms-seq", the cursor after it), payload
    # binary String, ts_ms the server time it was appended, mode durable /
    # best_effort / summary, correlation_id "" when none, attempt the index
    # of the attempt whose stream it is.
    Frame = Struct.new(:id, :frame_type, :payload, :encoding, :source, :correlation_id, :ts_ms, :mode, :attempt,
                       keyword_init: true) do
      def text = payload.dup.force_encoding(Encoding::UTF_8)
    end

    # One read or tail: the frames, the cursor to pass as after: next,
    # closed (closed_reason attempt_success, attempt_failure, lease_expired,
    # execution_ended, ...; closed_at unix ms, 0 while open) and more (the
    # read scanned its whole count: more entries may follow the cursor).
    Page = Struct.new(:frames, :cursor, :closed, :closed_reason, :closed_at, :more, keyword_init: true) do
      def closed? = closed
      def more? = more
    end

    # The summary document of an attempt: document parsed (nil before the
    # first summary frame), version (patches applied), created / updated
    # (unix ms, nil before the first).
    Summary = Struct.new(:document, :version, :created, :updated, keyword_init: true)

    # What an append returns: the entry id, the frames ever appended to the
    # stream, the summary version after a summary frame (else nil).
    Appended = Struct.new(:entry_id, :frame_count, :summary_version, keyword_init: true)

    # The close reason of an attempt after the last one of an ended
    # execution: #follow ends there.
    EXECUTION_ENDED = "execution_ended"

    module_function

    # An owned ff_frame for the block's duration (the C calls copy it).
    # Each setter checks its field: bad input raises its typed error
    # (InvalidFrameType, InvalidArgument) before anything is sent.
    def with_frame(frame_type, payload, mode, encoding, source, correlation_id)
      out = FFI::MemoryPointer.new(:pointer)
      FlowFabric.check(Native.ff_frame_new(out))
      f = out.read_pointer
      begin
        FlowFabric.check(Native.ff_frame_set_type(f, text(frame_type, "frame_type")), "frame_type")
        data = Units.bytes(payload)
        buf = data.empty? ? nil : FFI::MemoryPointer.new(:uint8, data.bytesize).put_bytes(0, data)
        FlowFabric.check(Native.ff_frame_set_payload(f, buf, data.bytesize), "payload")
        FlowFabric.check(Native.ff_frame_set_mode(f, text(mode, "mode")), "mode #{mode.inspect}")
        FlowFabric.check(Native.ff_frame_set_encoding(f, text(encoding, "encoding")), "encoding") if encoding
        FlowFabric.check(Native.ff_frame_set_source(f, text(source, "source")), "source") if source
        if correlation_id
          FlowFabric.check(Native.ff_frame_set_correlation_id(f, text(correlation_id, "correlation_id")),
                           "correlation_id")
        end
        yield f
      ensure
        Native.ff_frame_free(f)
      end
    end

    # A text argument for a C string: a String or Symbol without NUL.
    def text(value, what)
      s = Args.word(value, what)
      Args.invalid("#{what}: expected a String, got nil") if s.nil?
      Args.invalid("#{what}: holds a NUL character") if s.include?("\0")
      s
    end

    # The JSON text of a summary merge patch: a Hash (encoded) or JSON text
    # of an object; anything else is InvalidInput before sending (the depth
    # limit is the server's: PatchDepthExceeded).
    def patch(value)
      return JSON.generate(value) if value.is_a?(Hash)

      Args.invalid("summary patch: expected a Hash or JSON text, got #{value.inspect}") unless value.is_a?(String)
      obj = begin
        JSON.parse(value)
      rescue JSON::ParserError => e
        raise FlowFabric.error_for(Native::FF_INVALID_INPUT, "summary patch is not JSON: #{e.message}")
      end
      raise FlowFabric.error_for(Native::FF_INVALID_INPUT, "summary patch must be a JSON object") unless obj.is_a?(Hash)

      text(value, "summary patch")
    end

    def page(op, attempt)
      frames = Result.records(:ff_stream_read, op, :id, :frame_type, :encoding, :source, :correlation_id, :ts, :mode,
                              bytes: [:payload]).map do |r|
        Frame.new(id: r[:id], frame_type: r[:frame_type], payload: r[:payload], encoding: r[:encoding],
                  source: r[:source], correlation_id: r[:correlation_id], ts_ms: r[:ts].to_i, mode: r[:mode],
                  attempt: attempt)
      end
      state = Result.json(op)
      reason = Result.text(op)
      Page.new(frames: frames, cursor: Result.cursor(op), closed: state["closed"] == true || !reason.empty?,
               closed_reason: reason, closed_at: Result.int(op), more: state["more"] == true)
    end

    def appended(op)
      version = Result.items(op).first.to_s
      Appended.new(entry_id: Result.text(op), frame_count: Result.int(op),
                   summary_version: version.empty? ? nil : Integer(version))
    end

    def flags(durable_only) = Args.bool(durable_only, "durable_only") ? Native::FF_STREAM_DURABLE_ONLY : 0
  end

  class Client
    # One page of the output stream of attempt `attempt` (0-based): frames
    # after the exclusive cursor after: ("" = the start) up to to:
    # inclusive ("" = the end), scanning at most count entries (1..10000).
    # durable_only: leave best-effort frames out. Returns Stream::Page.
    # ExecutionNotFound, InvalidOffset (a malformed cursor).
    def read_stream(eid, attempt: 0, after: "", to: "", count: 100, durable_only: false)
      a = Args.int(attempt, "attempt", 0..(2**32 - 1))
      cur = Stream.text(after || "", "after")
      upto = Stream.text(to || "", "to")
      n = Args.int(count, "count", 1..10_000)
      fl = Stream.flags(durable_only)
      id = Args.id(eid, "execution_id")
      call(->(op) { Stream.page(op, a) }) { |cb, ud| Native.ff_stream_read(native, id, a, cur, upto, n, fl, cb, ud, nil) }
    end

    # Wait up to block_ms (0: a peek) for frames after the cursor: returns
    # as soon as there are some or the stream is closed (the wait runs on a
    # dedicated connection: other calls go on). An attempt that never wrote
    # a frame is seen closed when the block ends. Returns Stream::Page.
    def tail_stream(eid, attempt: 0, after: "", block_ms: 1000, count: 100, durable_only: false)
      a = Args.int(attempt, "attempt", 0..(2**32 - 1))
      cur = Stream.text(after || "", "after")
      b = Args.int(block_ms, "block_ms", 0..86_400_000)
      n = Args.int(count, "count", 1..10_000)
      fl = Stream.flags(durable_only)
      id = Args.id(eid, "execution_id")
      call(->(op) { Stream.page(op, a) }) { |cb, ud| Native.ff_stream_tail(native, id, a, cur, b, n, fl, cb, ud, nil) }
    end

    # The summary document of attempt `attempt`: Stream::Summary.
    def stream_summary(eid, attempt: 0)
      a = Args.int(attempt, "attempt", 0..(2**32 - 1))
      extract = lambda do |op|
        doc = Result.json(op)
        Stream::Summary.new(document: doc["document"], version: Result.int(op), created: doc["created"],
                            updated: doc["updated"])
      end
      call(extract) { |cb, ud| Native.ff_stream_summary(native, Args.id(eid, "execution_id"), a, cb, ud, nil) }
    end

    # Yield the frames of an execution's output stream in order as they are
    # written, until the stream closes (without a block: an Enumerator).
    # attempt: N follows that attempt only; nil starts at attempt 0 and goes
    # on with the next attempt when one's stream closes, ending when the
    # next attempt reads closed with "execution_ended" (so across a retry it
    # yields every attempt's frames). Tails in blocks of block_ms: an attempt
    # that never wrote a frame has no close marker to wake the tail.
    def follow(eid, attempt: nil, durable_only: false, block_ms: 1000, &block)
      Args.id(eid, "execution_id")
      Args.int(attempt, "attempt", 0..(2**32 - 1)) unless attempt.nil?
      return enum_for(:follow, eid, attempt: attempt, durable_only: durable_only, block_ms: block_ms) unless block

      a = attempt || 0
      cursor = ""
      loop do
        page = tail_stream(eid, attempt: a, after: cursor, block_ms: block_ms, durable_only: durable_only)
        page.frames.each(&block)
        cursor = page.cursor
        next if !page.closed || page.more # open, or closed with entries left to drain
        return nil if !attempt.nil? || page.closed_reason == Stream::EXECUTION_ENDED

        a += 1
        cursor = ""
      end
    end
  end

  class Claim
    # Append a frame to the output stream of the attempt this claim holds
    # and wait for the answer: Stream::Appended. payload: bytes (binary
    # safe); mode "durable", "best_effort" or "summary" (a JSON merge
    # patch). RetentionLimitExceeded (payload above 64 KiB: nothing sent),
    # InvalidFrameType, StaleOwnerCannotAppend, StreamClosed.
    def append_frame(frame_type, payload = "", mode: "durable", encoding: nil, source: nil, correlation_id: nil)
      Stream.with_frame(frame_type, payload, mode, encoding, source, correlation_id) do |f|
        c = @client
        c.call(Stream.method(:appended)) { |cb, ud| Native.ff_stream_append(c.native, @ptr, f, cb, ud, nil) }
      end
    end
  end

  class Task
    # Append a log line (a durable "log" frame) to this attempt's stream.
    # Like #progress it does not wait for the server (the stream calls of
    # one task arrive in order); it raises if the task finished or its lease
    # is known lost, and bad input raises before anything is sent.
    def log(text)
      send_frame("log") { |ptr| Native.ff_task_log(ptr, Stream.text(text, "log text"), nil, nil, nil) }
    end

    # Append a frame (see Claim#append_frame for the fields); does not wait.
    def emit(frame_type, payload = "", mode: "durable", encoding: nil, source: nil, correlation_id: nil)
      Stream.with_frame(frame_type, payload, mode, encoding, source, correlation_id) do |f|
        send_frame("emit") { |ptr| Native.ff_task_emit(ptr, f, nil, nil, nil) }
      end
    end

    # Merge a Hash (or JSON text of an object) into this attempt's summary
    # document (RFC 7396; "__ff_null__" stores a real null); does not wait.
    def summary(patch)
      data = Stream.patch(patch)
      send_frame("summary") { |ptr| Native.ff_task_summary(ptr, data, nil, nil, nil) }
    end

    private

    def send_frame(what)
      FlowFabric.check(yield(live_ptr), what)
      nil
    end
  end
end
