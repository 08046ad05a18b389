"""Policy JSON validation (ff_create): every rejection writes nothing."""

import json

import pytest

from ffhelpers import snapshot

EXPO = {"type": "exponential", "initial_delay_ms": 100, "max_delay_ms": 1000}

GOOD = [
    {},
    {"retry_policy": {}},
    {"retry_policy": {"max_retries": 0}},
    {"retry_policy": {"max_retries": 10000, "backoff": {"type": "fixed", "delay_ms": 0}}},
    {"retry_policy": {"max_retries": 3, "backoff": dict(EXPO, multiplier=1, jitter=0)}},
    {"retry_policy": {"max_retries": 3, "backoff": dict(EXPO, multiplier=3.5, jitter=1)}},
    {"retry_policy": {"backoff": dict(EXPO, max_delay_ms=100)}},
    {"retry_policy": {"retryable_categories": []}},
    {"retry_policy": {"retryable_categories": ["transient", "timeout"]}},
    {"timeout_policy": {"attempt_timeout_ms": 1, "execution_deadline_ms": 1, "max_reclaim_count": 0}},
    {"max_reclaim_count": 0, "max_replay_count": 0},
    {"routing_requirements": {}},
    {"routing_requirements": {"required_capabilities": []}},
    {"routing_requirements": {"required_capabilities": ["a", "b"]}},
    {"priority": -3},
    {"delay_until": 0},
]


@pytest.mark.parametrize("pol", GOOD)
def test_good_policies(ff, pol):
    rep, eid = ff.create_raw(policy=json.dumps(pol))
    assert rep[:2] == [1, "OK"], rep


BAD = [
    ("{", "malformed"),
    ("", None),  # empty = no policy: fine (sentinel)
    ("nul", "malformed"),
    ("[1]", "not_object"),
    ("5", "not_object"),
    ('"x"', "not_object"),
    ("null", "not_object"),
    ('{"foo": 1}', "unknown_field:foo"),
    ('{"suspension_policy": {}}', "unknown_field:suspension_policy"),
    ('{"retry_policy": null}', "retry_policy:not_object"),
    ("[]", "not_object"),
    (" [ \n ] ", "not_object"),
    ('{"retry_policy": []}', "retry_policy:not_object"),
    ('{"retry_policy": [ ]}', "retry_policy:not_object"),
    ('{"timeout_policy": []}', "timeout_policy:not_object"),
    ('{"routing_requirements": []}', "routing_requirements:not_object"),
    ('{"retry_policy": {"backoff": []}}', "retry_policy.backoff:not_object"),
    ('{"retry_policy": {"retryable_categories": {}}}', "retry_policy.retryable_categories:not_array"),
    ('{"retry_policy": {"retryable_categories": [[]]}}', "retry_policy.retryable_categories:non_string"),
    ('{"retry_policy": {}, "timeout_policy": {}}', None),
    ('{"retry_policy": [1]}', "retry_policy:not_object"),
    ('{"retry_policy": 3}', "retry_policy:not_object"),
    ('{"retry_policy": {"foo": 1}}', "unknown_field:retry_policy.foo"),
    ('{"retry_policy": {"max_retries": 1.5}}', "retry_policy.max_retries:not_integer"),
    ('{"retry_policy": {"max_retries": "3"}}', "retry_policy.max_retries:not_integer"),
    ('{"retry_policy": {"max_retries": null}}', "retry_policy.max_retries:not_integer"),
    ('{"retry_policy": {"max_retries": -1}}', "retry_policy.max_retries:out_of_range"),
    ('{"retry_policy": {"max_retries": 10001}}', "retry_policy.max_retries:out_of_range"),
    ('{"retry_policy": {"max_retries": 1e400}}', "retry_policy.max_retries:not_integer"),
    ('{"retry_policy": {"backoff": null}}', "retry_policy.backoff:not_object"),
    ('{"retry_policy": {"backoff": {}}}', "retry_policy.backoff.type:missing"),
    ('{"retry_policy": {"backoff": {"type": "linear"}}}', "retry_policy.backoff.type:invalid"),
    ('{"retry_policy": {"backoff": {"type": "fixed"}}}', "retry_policy.backoff.delay_ms:missing"),
    ('{"retry_policy": {"backoff": {"type": "fixed", "delay_ms": -1}}}', "retry_policy.backoff.delay_ms:out_of_range"),
    ('{"retry_policy": {"backoff": {"type": "fixed", "delay_ms": 2.5}}}', "retry_policy.backoff.delay_ms:not_integer"),
    ('{"retry_policy": {"backoff": {"type": "fixed", "delay_ms": 1, "jitter": 0}}}', "unknown_field:retry_policy.backoff.jitter"),
    ('{"retry_policy": {"backoff": {"type": "exponential", "max_delay_ms": 5}}}', "retry_policy.backoff.initial_delay_ms:missing"),
    ('{"retry_policy": {"backoff": {"type": "exponential", "initial_delay_ms": 0, "max_delay_ms": 5}}}', "retry_policy.backoff.initial_delay_ms:out_of_range"),
    ('{"retry_policy": {"backoff": {"type": "exponential", "initial_delay_ms": 10}}}', "retry_policy.backoff.max_delay_ms:missing"),
    ('{"retry_policy": {"backoff": {"type": "exponential", "initial_delay_ms": 10, "max_delay_ms": 5}}}', "retry_policy.backoff.max_delay_ms:less_than_initial"),
    ('{"retry_policy": {"backoff": {"type": "exponential", "initial_delay_ms": 10, "max_delay_ms": 50, "multiplier": 0.5}}}', "retry_policy.backoff.multiplier:out_of_range"),
    ('{"retry_policy": {"backoff": {"type": "exponential", "initial_delay_ms": 10, "max_delay_ms": 50, "multiplier": "2"}}}', "retry_policy.backoff.multiplier:not_number"),
    ('{"retry_policy": {"backoff": {"type": "exponential", "initial_delay_ms": 10, "max_delay_ms": 50, "jitter": 1.5}}}', "retry_policy.backoff.jitter:out_of_range"),
    ('{"retry_policy": {"backoff": {"type": "exponential", "initial_delay_ms": 10, "max_delay_ms": 50, "jitter": -0.1}}}', "retry_policy.backoff.jitter:out_of_range"),
    ('{"retry_policy": {"backoff": {"type": "exponential", "initial_delay_ms": 10, "max_delay_ms": 50, "jitter": null}}}', "retry_policy.backoff.jitter:not_number"),
    ('{"retry_policy": {"retryable_categories": "transient"}}', "retry_policy.retryable_categories:not_array"),
    ('{"retry_policy": {"retryable_categories": {"a": 1}}}', "retry_policy.retryable_categories:not_array"),
    ('{"retry_policy": {"retryable_categories": [1]}}', "retry_policy.retryable_categories:non_string"),
    ('{"timeout_policy": null}', "timeout_policy:not_object"),
    ('{"timeout_policy": {"x": 1}}', "unknown_field:timeout_policy.x"),
    ('{"timeout_policy": {"attempt_timeout_ms": 0}}', "timeout_policy.attempt_timeout_ms:out_of_range"),
    ('{"timeout_policy": {"attempt_timeout_ms": "5"}}', "timeout_policy.attempt_timeout_ms:not_integer"),
    ('{"timeout_policy": {"execution_deadline_ms": -5}}', "timeout_policy.execution_deadline_ms:out_of_range"),
    ('{"timeout_policy": {"max_reclaim_count": -1}}', "timeout_policy.max_reclaim_count:out_of_range"),
    ('{"max_reclaim_count": 1.25}', "max_reclaim_count:not_integer"),
    ('{"max_reclaim_count": null}', "max_reclaim_count:not_integer"),
    ('{"max_replay_count": -1}', "max_replay_count:out_of_range"),
    ('{"priority": "high"}', "priority:not_integer"),
    ('{"priority": 1.5}', "priority:not_integer"),
    ('{"delay_until": -1}', "delay_until:out_of_range"),
    ('{"delay_until": null}', "delay_until:not_integer"),
    ('{"routing_requirements": null}', "routing_requirements:not_object"),
    ('{"routing_requirements": "gpu"}', "routing_requirements:not_object"),
    ('{"routing_requirements": {"preferred_locality": "x"}}', "unknown_field:routing_requirements.preferred_locality"),
]


@pytest.mark.parametrize("policy,reason", BAD)
def test_bad_policies(ff, policy, reason):
    ff.create()
    before = snapshot(ff.r)
    rep, eid = ff.create_raw(policy=policy)
    if reason is None:
        assert rep[:2] == [1, "OK"], rep
        return
    assert rep == [0, "invalid_policy_json", reason], rep
    assert snapshot(ff.r) == before


CAPS_BAD = [
    ('{"routing_requirements": {"required_capabilities": "gpu"}}', "required:not_array"),
    ('{"routing_requirements": {"required_capabilities": null}}', "required:not_array"),
    ('{"routing_requirements": {"required_capabilities": [1]}}', "required:non_string_token"),
    ('{"routing_requirements": {"required_capabilities": [""]}}', "required:empty_token"),
    ('{"routing_requirements": {"required_capabilities": ["a,b"]}}', "required:comma_in_token"),
    ('{"routing_requirements": {"required_capabilities": ["a b"]}}', "required:control_or_whitespace"),
    ('{"routing_requirements": {"required_capabilities": ["a\\u0000"]}}', "required:control_or_whitespace"),
    (json.dumps({"routing_requirements": {"required_capabilities": ["t%d" % i for i in range(257)]}}), "required:too_many_tokens"),
    (json.dumps({"routing_requirements": {"required_capabilities": ["x" * 3000, "y" * 2000]}}), "required:too_many_bytes"),
]


@pytest.mark.parametrize("policy,reason", CAPS_BAD)
def test_bad_policy_capabilities(ff, policy, reason):
    before = snapshot(ff.r)
    rep, _ = ff.create_raw(policy=policy)
    assert rep == [0, "invalid_capabilities", reason], rep
    assert snapshot(ff.r) == before


def test_policy_too_large(ff):
    pol = json.dumps({"retry_policy": {"retryable_categories": ["c"] * 200}}) + " " * 70000
    rep, _ = ff.create_raw(policy=pol)
    assert rep == [0, "invalid_policy_json", "too_large"]


def test_unknown_field_is_deterministic(ff):
    rep, _ = ff.create_raw(policy='{"zzz": 1, "aaa": 2, "priority": 1}')
    assert rep == [0, "invalid_policy_json", "unknown_field:aaa"]


def test_brackets_inside_strings_are_untouched(ff):
    pol = {"retry_policy": {"max_retries": 1, "backoff": {"type": "fixed", "delay_ms": 0},
                            "retryable_categories": ["[]", "a [ ] b", "q\"[]"]}}
    ff.create(policy=json.dumps(pol))
    c = ff.claim_one()
    assert ff.fail(c, cat="a [ ] b")[2] == "retry_scheduled"
    c = ff.claim_one()
    assert ff.fail(c, cat="[]") == [1, "OK", "terminal_failed"]  # retries used up
    ff.create(policy=json.dumps(pol))
    c = ff.claim_one()
    assert ff.fail(c, cat='q"[]')[2] == "retry_scheduled"


def test_empty_arrays_where_arrays_belong(ff):
    rep, eid = ff.create_raw(policy='{"routing_requirements": {"required_capabilities": []},'
                                    ' "retry_policy": {"max_retries": 2, "retryable_categories": [ ]}}')
    assert rep[:2] == [1, "OK"]
    c = ff.claim_one()
    assert ff.fail(c, cat="transient") == [1, "OK", "terminal_failed"]


def test_capabilities_empty_object_is_not_an_array(ff):
    rep, _ = ff.create_raw(policy='{"routing_requirements": {"required_capabilities": {}}}')
    assert rep == [0, "invalid_capabilities", "required:not_array"]
