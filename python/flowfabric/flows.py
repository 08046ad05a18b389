"""The flow builder: declare a small DAG in a ``with`` block, and on a clean
exit it is created, submitted and staged in one go (``Client.flow``).

The builder only records; the calls it makes are the plan
``Compositions.build_flow`` (so ``Client.build_flow`` and
``AsyncClient.build_flow`` run the same steps, sync or awaited).
"""

from __future__ import annotations

import inspect
from typing import Any, Dict, List, Optional, Sequence

from .errors import InvalidArgument
from .types import FLOW_GROUP_POLICIES, FLOW_ON_SATISFIED


class FlowNode:
    """One member declared with :meth:`FlowBuilder.add`. ``id`` is its
    execution id once the flow is built (reading it before raises
    :class:`~flowfabric.InvalidArgument`; ``built`` tells)."""

    __slots__ = ("kind", "payload", "after", "policy", "k", "on_satisfied", "pass_data", "options", "_id")

    def __init__(self, kind: str, payload: Any, after: Sequence["FlowNode"], policy: str, k: Optional[int],
                 on_satisfied: str, pass_data: bool, options: Dict[str, Any]) -> None:
        self.kind = kind
        self.payload = payload
        self.after = tuple(after)
        self.policy = policy
        self.k = k
        self.on_satisfied = on_satisfied
        self.pass_data = pass_data
        self.options = options
        self._id: Optional[str] = None

    @property
    def built(self) -> bool:
        return self._id is not None

    @property
    def id(self) -> str:
        """The member's execution id (set when the flow is built)."""
        if self._id is None:
            raise InvalidArgument(f"{self!r}: the flow is not built yet")
        return self._id

    @id.setter
    def id(self, value: str) -> None:
        self._id = value

    def __repr__(self) -> str:
        return f"<FlowNode {self.kind} {self._id or '(not built)'}>"


class FlowBuilder:
    """Declares the members of one flow; built when the ``with`` (or
    ``async with``) block exits without an exception. Nothing is sent
    before that. Afterwards ``f.id`` is the flow id and each node's ``.id``
    its execution id (``built`` tells whether that happened).

    How it builds (``Compositions.build_flow``): one :meth:`submit_flow`
    call creates the flow, every member, group and edge atomically, so a
    member with an incoming edge is blocked from its birth and no worker can
    take it before its upstreams end. Members carry no idempotency key (the
    flow id is the key of the whole build); at most 500 members and 2000
    edges.
    """

    def __init__(self, client: Any, flow_id: Optional[str] = None, *, lane: Optional[str] = None,
                 max_members: Optional[int] = None, max_incoming: Optional[int] = None) -> None:
        self._client = client
        self._flow_id = flow_id
        self._lane = lane
        self._max_members = max_members
        self._max_incoming = max_incoming
        self.nodes: List[FlowNode] = []
        self._id: Optional[str] = None

    @property
    def built(self) -> bool:
        return self._id is not None

    @property
    def id(self) -> str:
        """The flow id (set when the block exits cleanly)."""
        if self._id is None:
            raise InvalidArgument("the flow is not built yet (it is built when the with block exits)")
        return self._id

    def add(self, kind: str, payload: Any = None, *, after: Sequence[FlowNode] = (), policy: str = "all_of",
            k: Optional[int] = None, on_satisfied: str = "cancel_remaining", pass_data: bool = False,
            **submit_options: Any) -> FlowNode:
        """Declare a member: ``kind`` and ``payload`` as for ``submit``
        (other ``submit`` keywords pass through; ``lane`` defaults to the
        flow's), ``after`` the members it depends on (declared earlier in
        this builder), ``policy``/``k``/``on_satisfied`` its group (as
        ``set_group``), ``pass_data`` whether it may read its upstreams'
        results (``parent_results``)."""
        if self.built:
            raise InvalidArgument("this flow is built already")
        if isinstance(after, FlowNode):
            after = (after,)
        for up in after:
            if not isinstance(up, FlowNode) or not any(up is n for n in self.nodes):
                raise InvalidArgument(f"after: {up!r} is not a member added earlier to this builder")
        if policy not in FLOW_GROUP_POLICIES:
            raise InvalidArgument(f"policy must be one of {', '.join(FLOW_GROUP_POLICIES)}; got {policy!r}")
        if on_satisfied not in FLOW_ON_SATISFIED:
            raise InvalidArgument(f"on_satisfied must be one of {', '.join(FLOW_ON_SATISFIED)}; got {on_satisfied!r}")
        if not after and (policy != "all_of" or k is not None):
            raise InvalidArgument("a member without upstreams (after=) has no group policy")
        if "flow" in submit_options:
            raise InvalidArgument("flow: the builder submits into its own flow")
        if not isinstance(pass_data, bool):
            raise TypeError(f"pass_data must be True or False, not {type(pass_data).__name__}")
        node = FlowNode(kind, payload, after, policy, k, on_satisfied, pass_data, submit_options)
        self.nodes.append(node)
        return node

    def _build_args(self) -> Dict[str, Any]:
        return {"flow_id": self._flow_id, "lane": self._lane, "max_members": self._max_members,
                "max_incoming": self._max_incoming}

    def __enter__(self) -> "FlowBuilder":
        if inspect.iscoroutinefunction(self._client.build_flow):
            raise TypeError("an AsyncClient's flow builder is used with `async with`")
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            self._id = self._client.build_flow(self.nodes, **self._build_args())

    async def __aenter__(self) -> "FlowBuilder":
        if not inspect.iscoroutinefunction(self._client.build_flow):
            raise TypeError("a Client's flow builder is used with `with`")
        return self

    async def __aexit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            self._id = await self._client.build_flow(self.nodes, **self._build_args())
