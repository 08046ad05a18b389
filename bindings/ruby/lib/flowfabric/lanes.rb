# frozen_string_literal: true

module FlowFabric
  # The lane registry and operator lane pause (include/flowfabric/lanes.h,
  # docs/admission.md "Lanes"): a configured lane is listed before any
  # execution uses it; a paused lane leases nothing until it is resumed,
  # while its work keeps its place (public state "waiting").
  class Client
    # Configure lane (idempotent): true when it was not configured before.
    def create_lane(lane)
      call(->(op) { Result.int(op) == 1 }) { |cb, ud| Native.ff_lane_create(native, lane, cb, ud, nil) }
    end

    # Pause lane with an operator's reason: true when this call paused it
    # (a paused lane keeps its first pause time and reason).
    def pause_lane(lane, reason = "")
      call(->(op) { Result.int(op) == 1 }) { |cb, ud| Native.ff_lane_pause(native, lane, reason, cb, ud, nil) }
    end

    # Resume lane and wake its workers: true when it was paused.
    def resume_lane(lane)
      call(->(op) { Result.int(op) == 1 }) { |cb, ud| Native.ff_lane_resume(native, lane, cb, ud, nil) }
    end

    # Every lane (configured or in use) in byte order, each a Hash: lane,
    # configured, configured_at, paused, paused_at, reason (times in unix
    # ms or nil); every page read.
    def list_lanes
      all_pages("lanes") { |cursor, cb, ud| Native.ff_lanes_page(native, cursor, 1000, cb, ud, nil) }
    end
  end
end
