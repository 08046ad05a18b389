# frozen_string_literal: true

module FlowFabric
  # Admission (include/flowfabric/quota.h): a lane's quota policy holds per
  # group (submit(..., group: "tenant-42"); executions without one form the
  # default group ""), and a group can be paused. Work over a limit waits in
  # public state "rate_limited" and returns by itself.
  module Quota
    # What #create_quota answered: created (false: the lane had this policy
    # and kept its stored limits), same (the stored limits equal the ones
    # asked for) and the stored limits (0 = none).
    Created = Struct.new(:lane, :quota_id, :created, :same, :rate, :window_ms, :concurrency, keyword_init: true) do
      def created? = created
      def same? = same
    end

    module_function

    # Unix ms of "seconds from now" or of the Time until (exactly one).
    def when_ms(seconds, until_time)
      if seconds.nil? == until_time.nil?
        raise InvalidArgument.new("give either seconds or until:", status: Native::FF_EINVAL)
      end
      return Units.unix_ms(until_time, "until") if until_time

      (Time.now.to_r * 1000).round + Units.ms(seconds, "seconds")
    end
  end

  class Task
    # The work hit a rate limit (an HTTP 429 of the API it calls): pause
    # this execution's group for seconds (or until: a Time) and give the
    # attempt back, parked, without counting a failure; the next claim after
    # the pause resumes the same attempt. A finishing call: the worker makes
    # no other one for this task.
    def rate_limited(seconds = nil, until: nil)
      finish(:ff_task_rate_limited, Quota.when_ms(seconds, binding.local_variable_get(:until)))
    end
  end

  class Client
    # Give lane its quota policy quota_id: at most rate lease starts per
    # group in any sliding window (seconds), at most concurrency leases of a
    # group at once; a rate with its window, a concurrency, or both.
    # Idempotent: a repeat keeps the stored limits (Quota::Created#same?).
    def create_quota(lane, quota_id, rate: nil, window: nil, concurrency: nil)
      if rate.nil? != window.nil?
        raise InvalidArgument.new("give rate: and window: together", status: Native::FF_EINVAL)
      end
      if rate.nil? && concurrency.nil?
        raise InvalidArgument.new("give rate: and window:, concurrency:, or both", status: Native::FF_EINVAL)
      end

      r = rate.nil? ? 0 : Args.int(rate, "rate", 1..(2**63 - 1))
      w = window.nil? ? 0 : Units.ms(window, "window")
      c = concurrency.nil? ? 0 : Args.int(concurrency, "concurrency", 1..(2**63 - 1))
      extract = lambda do |op|
        d = Result.json(op)
        Quota::Created.new(lane: lane, quota_id: quota_id, created: d["outcome"] == "created", same: d["same"] == true,
                           rate: d["rate"].to_i, window_ms: d["window_ms"].to_i, concurrency: d["concurrency"].to_i)
      end
      call(extract) { |cb, ud| Native.ff_quota_create(native, lane, quota_id, r, w, c, cb, ud, nil) }
    end

    # The lane's quota document (a Hash: quota_id (nil without a policy),
    # rate, window_ms, concurrency and "groups", one Hash per group with
    # holders, window_used, parked, paused_until), every page of groups read.
    def describe_quota(lane)
      doc = nil
      cursor = nil
      loop do
        page = call(Result.method(:json)) { |cb, ud| Native.ff_quota_describe(native, lane, cursor, 1000, cb, ud, nil) }
        cursor = page.delete("next_cursor")
        if doc.nil?
          doc = page
        else
          doc["groups"].concat(page["groups"] || [])
        end
        break if cursor.nil? || cursor.empty?
      end
      doc
    end

    # The lanes that have a quota policy, in byte order.
    def list_quotas
      all_pages("lanes") { |cursor, cb, ud| Native.ff_quota_list(native, cursor, 1000, cb, ud, nil) }
    end

    # Park group's work (group "" = the default group) for seconds, or
    # until: a Time; a longer pause already set is kept. Returns the stored
    # pause end (unix ms).
    def pause_group(lane, group, seconds = nil, until: nil)
      at = Quota.when_ms(seconds, binding.local_variable_get(:until))
      call(Result.method(:int)) { |cb, ud| Native.ff_group_pause(native, lane, group, at, cb, ud, nil) }
    end

    # End group's pause now: true when it was paused.
    def resume_group(lane, group)
      call(->(op) { Result.int(op) == 1 }) { |cb, ud| Native.ff_group_resume(native, lane, group, cb, ud, nil) }
    end
  end
end
