#!/usr/bin/env python3
"""bindings/gen/gen_api.py refuses an op whose @yields tag is missing, names
an unknown kind, or names an item layout that does not exist; and turns a
good tag into api.json's "yields" list. Runs gen_api's describe() on a small
header text fixture (no compiler, no server)."""
import os
import sys
import unittest

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "bindings", "gen"))
import gen_api  # noqa: E402

# What gen_cdef.sh would make of the fixture header.
CDEF = """
#define FF_ABI_VERSION 1
typedef struct ff_client ff_client;
typedef struct ff_op ff_op;
typedef void (*ff_op_cb)(ff_op *op, void *ud);
typedef enum ff_item_layout {
    FF_ITEMS_THINGS_STRIDE = 2,
    FF_ITEMS_THINGS_ID = 0,
    FF_ITEMS_THINGS_NAME = 1
} ff_item_layout;
int ff_thing_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out);
int ff_thing_count(ff_client *c);
"""


def header(list_doc, count_doc="/** A plain call. */"):
    return ("%s\nFF_API int ff_thing_list(ff_client *c, ff_op_cb cb, void *ud, ff_op **out);\n"
            "%s\nFF_API int ff_thing_count(ff_client *c);\n" % (list_doc, count_doc))


def describe(list_doc, count_doc="/** A plain call. */"):
    return gen_api.describe(CDEF, {"flowfabric/thing.h": header(list_doc, count_doc)})


class Yields(unittest.TestCase):
    def refused(self, list_doc, *words, count_doc="/** A plain call. */"):
        with self.assertRaises(gen_api.GenError) as cm:
            describe(list_doc, count_doc)
        msg = str(cm.exception)
        for w in words:
            self.assertIn(w, msg)
        return msg

    def test_a_good_tag_becomes_the_yields_list(self):
        api = describe("/** Things.\n *  @yields items FF_ITEMS_THINGS, cursor */")
        fn = next(f for f in api["functions"] if f["name"] == "ff_thing_list")
        self.assertEqual(fn["role"], "op")
        self.assertEqual(fn["yields"], [{"kind": "items", "layout": "FF_ITEMS_THINGS"}, {"kind": "cursor"}])
        self.assertEqual(fn["doc"], "Things.")
        plain = next(f for f in api["functions"] if f["name"] == "ff_thing_count")
        self.assertNotIn("yields", plain)

    def test_every_kind_is_accepted(self):
        for kind in sorted(gen_api.YIELD_KINDS):
            api = describe("/** Things.\n *  @yields %s */" % kind)
            fn = next(f for f in api["functions"] if f["name"] == "ff_thing_list")
            self.assertEqual(fn["yields"], [{"kind": kind}])

    def test_an_op_without_the_tag_is_refused(self):
        self.refused("/** Things, untagged. */", "ff_thing_list", "no @yields")
        self.refused("", "ff_thing_list", "no @yields")  # no doc comment at all

    def test_an_empty_tag_is_refused(self):
        self.refused("/** Things.\n *  @yields */", "ff_thing_list", "needs a kind")

    def test_an_unknown_kind_is_refused(self):
        self.refused("/** Things.\n *  @yields list */", "ff_thing_list", "unknown kind 'list'")
        self.refused("/** Things.\n *  @yields text, txt */", "ff_thing_list", "unknown kind 'txt'")

    def test_an_unknown_layout_is_refused(self):
        self.refused("/** Things.\n *  @yields items FF_ITEMS_THINGZ */", "ff_thing_list", "FF_ITEMS_THINGZ",
                     "no such item layout")

    def test_a_layout_only_goes_with_items(self):
        self.refused("/** Things.\n *  @yields text FF_ITEMS_THINGS */", "ff_thing_list", "only \"items\"")

    def test_none_stands_alone_and_kinds_are_not_repeated(self):
        self.refused("/** Things.\n *  @yields none, text */", "ff_thing_list", "none stands alone")
        self.refused("/** Things.\n *  @yields text, text */", "ff_thing_list", "named twice")

    def test_yields_on_a_call_that_is_no_op_is_refused(self):
        self.refused("/** Things.\n *  @yields json */", "ff_thing_count", "only for ops",
                     count_doc="/** Count.\n *  @yields int */")

    def test_the_real_headers_tag_every_op(self):
        api = gen_api.describe(open(gen_api.CDEF, encoding="utf-8").read())
        ops = [f for f in api["functions"] if f["role"] == "op"]
        self.assertTrue(ops)
        for f in ops:
            self.assertTrue(f["yields"], f["name"])
            self.assertIn(f["yields"][0]["kind"], gen_api.YIELD_KINDS)


if __name__ == "__main__":
    unittest.main()
