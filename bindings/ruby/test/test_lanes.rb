# frozen_string_literal: true

require_relative "test_helper"

# The lane registry and lane pause from Ruby: a configured lane is listed
# before use, a paused lane hands out nothing while describe names the
# operator, and resume releases the work. Nothing is timed.
class TestLanes < FlowFabricTest
  def test_create_pause_resume_and_list
    assert client.create_lane(lane)
    refute client.create_lane(lane)
    entry = client.list_lanes.find { |l| l["lane"] == lane }
    assert entry, "configured lane #{lane} is listed before any execution"
    assert_equal [true, false], [entry["configured"], entry["paused"]]
    eid = client.submit("rb.lane", "", lane: lane)
    assert client.pause_lane(lane, "deploy")
    refute client.pause_lane(lane, "again")
    assert_empty client.claim([lane], batch: 5)
    assert_equal "waiting", client.state(eid)
    entry = client.list_lanes.find { |l| l["lane"] == lane }
    assert_equal [true, "deploy"], [entry["paused"], entry["reason"]]
    assert client.resume_lane(lane)
    refute client.resume_lane(lane)
    got = claim_one
    assert_equal eid, got.execution_id
    got.complete("")
  end

  def test_bad_lane_is_refused
    assert_raises(FlowFabric::InvalidArgument) { client.pause_lane("x" * 65) }
  end
end
