# frozen_string_literal: true

module FlowFabric
  # Base of every error of the library. The generated classes
  # (error_classes.rb) sit below it, one per status group and one per status.
  class FlowFabricError < StandardError
    GROUP = "generic"
    # status code (Integer, negative), its name ("FF_STALE_LEASE"), the
    # server's error token ("stale_lease", "" when client-side) and the
    # detail fields the server sent with it
    attr_reader :status, :status_name, :server_code, :details

    def initialize(message = nil, status: FF_STATUS_ERROR, server_code: "", details: [])
      @status = status
      @status_name = (STATUS_NAMES[status] || ["FF_#{status}"])[0]
      @server_code = server_code
      @details = details
      super(message || @status_name)
    end
  end
  FF_STATUS_ERROR = -1

  # The exception for status @p status: its generated class, with the
  # library's words (ff_strerror, then the detail sentence when there is one).
  def self.error_for(status, detail = nil, server_code: "", details: [])
    klass = ERROR_CLASSES[status] || FlowFabricError
    text = Native.ff_strerror(status).read_string
    name = (STATUS_NAMES[status] || ["FF_#{status}"])[0]
    message = detail && !detail.empty? ? "#{name}: #{detail}" : "#{name}: #{text}"
    klass.new(message, status: status, server_code: server_code, details: details)
  end

  # Raise unless status is FF_OK. The detail is this thread's
  # ff_error_detail() (the library's sentence, which names the argument);
  # `what` only stands in when the library gave none.
  def self.check(status, what = nil)
    return if status == Native::FF_OK

    detail = Native.ff_error_detail(status).read_string
    detail = what if detail.empty?
    raise error_for(status, detail)
  end
end
