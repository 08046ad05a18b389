-- 45_notify: the library's Pub/Sub notifications. Every channel is per
-- partition, so a call knows each channel it may publish on from its hash
-- tag alone (and the channel hashes to the partition's cluster slot):
--   ff:wake:{fp:N}  message = lane name: the lane's eligible index went from
--                   empty to non-empty (idle workers claim)
--   ff:due:{fp:N}   message = unix ms: a transition created a due time
--                   earlier than the partition's due record (the engine)
--   ff:done:{fp:N}  message = execution id: a waited-for execution ended
--                   (ff_execution_wait)
-- A PUBLISH the server refuses (ACL) would abort a function after its first
-- writes, and Redis keeps those writes. So every function that may publish
-- calls N.guard before it writes anything.

local N = {}

N.CHANNELS = { K.chan_wake, K.chan_due, K.chan_done }

-- nil when the calling user may PUBLISH on every channel of partition T,
-- else an `unauthorized` error reply naming the refused channel. Checking all
-- three keeps one rule for operators (a writer needs ff:wake:*, ff:due:* and
-- ff:done:*) and costs ~0.2 us per channel.
function N.guard(T)
  for i = 1, #N.CHANNELS do
    local chan = N.CHANNELS[i](T)
    if not redis.acl_check_cmd("PUBLISH", chan, "x") then
      return U.err("unauthorized", "PUBLISH on channel " .. chan .. " is not permitted for this user "
                   .. "(FlowFabric writers need ff:wake:*, ff:due:* and ff:done:*)")
    end
  end
  return nil
end

function N.wake(T, lane) redis.call("PUBLISH", K.chan_wake(T), lane) end
function N.due(T, at_s) redis.call("PUBLISH", K.chan_due(T), at_s) end
function N.done(T, eid) redis.call("PUBLISH", K.chan_done(T), eid) end
