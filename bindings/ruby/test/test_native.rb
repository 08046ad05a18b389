# frozen_string_literal: true

require_relative "test_helper"
require "tmpdir"
require "json"

# The generated layer binds the whole C API, and the loaded library is the
# one it was generated for.
class TestNative < Minitest::Test
  API = JSON.parse(File.read(File.expand_path("../../api.json", __dir__)))

  def test_every_function_of_the_api_description_is_attached
    missing = API["functions"].map { |f| f["name"] }.reject { |n| FlowFabric::Native.respond_to?(n) }
    assert_empty missing
  end

  def test_every_exported_symbol_is_bound
    lib = FlowFabric::Loader.library_path
    exported = `nm -D --defined-only #{lib}`.lines.map { |l| l.split.last }.grep(/\Aff_/)
    refute_empty exported, "nm found no ff_ symbol in #{lib}"
    assert_empty exported - FlowFabric::Native::FUNCTIONS.map(&:to_s)
  end

  def test_abi_and_version_match_the_loaded_library
    assert_equal FlowFabric::Native::ABI_VERSION, FlowFabric::Native.ff_abi_version
    assert_equal FlowFabric::Native::VERSION, FlowFabric::VERSION
  end

  # A library of another ABI is refused at load, with both versions named,
  # before any other function is bound.
  def test_a_library_of_another_abi_is_refused_at_load
    Dir.mktmpdir do |dir|
      src = File.join(dir, "fake.c")
      File.write(src, "int ff_abi_version(void) { return 999; }\n")
      lib = File.join(dir, "libfake.so")
      assert system("cc", "-shared", "-fPIC", "-o", lib, src), "cc failed"
      libdir = File.expand_path("../lib", __dir__)
      out = IO.popen({ "FF_LIBRARY" => lib }, [RbConfig.ruby, "-I", libdir, "-e", "require 'flowfabric'"],
                     err: %i[child out], &:read)
      refute $?.success?, "loading a library of ABI 999 succeeded"
      assert_match(/has C ABI 999, this gem was generated for ABI #{FlowFabric::Native::ABI_VERSION}/, out)
    end
  end

  # Native::YIELDS is each op's @yields tag, and every kind a Ruby call
  # reads through Result.of has a reader.
  def test_yields_follow_the_api_description
    ops = API["functions"].select { |f| f["role"] == "op" }
    refute_empty ops
    ops.each do |f|
      assert_equal f["yields"].map { |y| y["kind"].to_sym }, FlowFabric::Native::YIELDS.fetch(f["name"].to_sym), f["name"]
      layout = f["yields"].map { |y| y["layout"] }.compact.first
      assert_equal layout, FlowFabric::Native::ITEM_LAYOUTS[f["name"].to_sym], f["name"]
      assert FlowFabric::Native.const_defined?("#{layout}_STRIDE"), layout if layout
      next if %i[claims reply].include?(FlowFabric::Native::YIELDS[f["name"].to_sym].first)

      assert_respond_to FlowFabric::Result.of(f["name"].to_sym), :call, f["name"]
    end
    assert_raises(ArgumentError) { FlowFabric::Result.of(:ff_client_new) }
  end

  def test_error_classes_follow_the_status_table
    assert_operator FlowFabric::StaleLease, :<, FlowFabric::LeaseError
    assert_operator FlowFabric::LeaseError, :<, FlowFabric::FlowFabricError
    assert_operator FlowFabric::FlowFabricError, :<, StandardError
    e = FlowFabric.error_for(FlowFabric::Native::FF_STALE_LEASE)
    assert_instance_of FlowFabric::StaleLease, e
    assert_equal "FF_STALE_LEASE", e.status_name
    assert_equal FlowFabric::STATUS_NAMES.size, FlowFabric::ERROR_CLASSES.size
  end
end
