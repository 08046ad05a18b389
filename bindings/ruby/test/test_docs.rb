# frozen_string_literal: true

require_relative "test_helper"
require "open3"
require "rbconfig"

# docs/ruby.md is executable: every ```ruby block runs, in its own process,
# against the test server (FF_URL), and must exit 0.
class TestDocs < Minitest::Test
  DOC = File.expand_path("../../../docs/ruby.md", __dir__)
  LIB = File.expand_path("../lib", __dir__)

  def blocks
    found = []
    File.read(DOC).scan(/^```ruby\n(.*?)^```$/m) { found << Regexp.last_match(1) }
    found
  end

  def test_the_page_has_examples
    assert_operator blocks.size, :>=, 3
  end

  def test_every_example_runs
    blocks.each_with_index do |code, i|
      out, status = Open3.capture2e({ "FF_URL" => TestServer.url }, RbConfig.ruby, "-I", LIB, "-e", code)
      assert status.success?, "docs/ruby.md example #{i + 1} failed:\n#{code}\n--- output:\n#{out}"
    end
  end
end
