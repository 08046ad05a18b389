# frozen_string_literal: true

# Tests run against a real redis-server: FF_TEST_URL when given, else a
# private one started here with tests/support/redis-test-server.sh and
# stopped when the run ends.
require "minitest/autorun"
require "securerandom"
require "tmpdir"
require "flowfabric"

module TestServer
  REPO = File.expand_path("../../..", __dir__)
  SCRIPT = File.join(REPO, "tests", "support", "redis-test-server.sh")

  def self.url
    @url ||= begin
      given = ENV["FF_TEST_URL"]
      if given && !given.empty?
        given
      else
        @dir = Dir.mktmpdir("ff-ruby-tests")
        out = IO.popen(["bash", SCRIPT, "start", @dir], &:read)
        raise "redis-test-server.sh start failed" unless $?.success?

        Minitest.after_run do
          system("bash", SCRIPT, "stop", @dir, out: File::NULL)
          FileUtils.rm_rf(@dir)
        end
        out.strip.lines.last.strip
      end
    end
  end
end

class FlowFabricTest < Minitest::Test
  def client
    @client ||= FlowFabric.connect(TestServer.url)
  end

  def lane
    @lane ||= "rb-#{SecureRandom.hex(6)}"
  end

  def teardown
    @client&.close
  end

  # Claim the one execution of the test's lane.
  def claim_one(**kw)
    claims = client.claim([lane], **kw)
    assert_equal 1, claims.size, "expected one claim on #{lane}"
    claims.first
  end
end
