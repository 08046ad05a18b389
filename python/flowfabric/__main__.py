"""Command line: ``python -m flowfabric COMMAND`` (also installed as ``flowfabric``).

    python -m flowfabric worker MODULE:ATTR [--url URL] [--lanes A,B] [--concurrency N]
                                [--capabilities X,Y] [--max-tasks N] [--idle-timeout S]
        Import MODULE (the current directory is on sys.path) and run ATTR
        until SIGINT/SIGTERM (graceful; a second one stops at once), N tasks,
        or S idle seconds. ATTR is a flowfabric.Worker, a mapping
        {kind: handler}, a handler function (every kind), or a function of no
        arguments returning one of these. --url is exported as FF_URL before
        MODULE is imported, so a module that calls flowfabric.connect() uses
        it; --lanes, --concurrency and --capabilities override the worker's.
    python -m flowfabric demo [--url URL] [--keep-server]
        Submit a scripted set of jobs from Python, process them with Python
        workers, and show the results.
    python -m flowfabric version
        Package, library, ABI and server-library versions; where the library
        and the FFI declarations were loaded from.

A command that cannot start (bad MODULE:ATTR, no server) prints one line on
stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import inspect
import logging
import os
import sys
import traceback
from typing import Any, Callable, List, Mapping, Optional

log = logging.getLogger("flowfabric.worker")


class _Fatal(Exception):
    """A one-line reason the command cannot run."""


_PKG_DIR = os.path.dirname(os.path.abspath(__file__))


def _where(exc: BaseException, module_file: Optional[str] = None) -> str:
    """' (file.py, line N)': where the user's code raised (the innermost frame
    of ``module_file``, else the innermost one outside importlib and this
    package)."""
    frames = traceback.extract_tb(exc.__traceback__)
    mine = [f for f in frames if module_file and os.path.abspath(f.filename) == module_file] or \
        [f for f in frames if not f.filename.startswith(("<frozen", _PKG_DIR))]
    return f" ({os.path.basename(mine[-1].filename)}, line {mine[-1].lineno})" if mine else ""


def _import(mod_name: str) -> Any:
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(mod_name)
    except ModuleNotFoundError as e:
        if e.name and (mod_name == e.name or mod_name.startswith(e.name + ".")):
            raise _Fatal(f"no module named {e.name!r} (searched the current directory and sys.path)") from e
        raise _Fatal(f"importing {mod_name!r} failed: {type(e).__name__}: {e}{_where(e)}") from e
    except Exception as e:
        try:
            spec = importlib.util.find_spec(mod_name)
        except Exception:
            spec = None
        origin = os.path.abspath(spec.origin) if spec is not None and spec.origin else None
        raise _Fatal(f"importing {mod_name!r} failed: {type(e).__name__}: {e}{_where(e, origin)}") from e


def _required_params(fn: Callable[..., Any]) -> Optional[int]:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    return sum(1 for p in sig.parameters.values()
               if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def resolve(target: str) -> Any:
    """The object MODULE:ATTR names, called first when it is a factory."""
    import flowfabric as ff

    mod_name, sep, attr = target.partition(":")
    if not sep or not mod_name or not attr:
        raise _Fatal(f"expected MODULE:ATTR (e.g. myapp.tasks:worker), got {target!r}")
    obj: Any = _import(mod_name)
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise _Fatal(f"{mod_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if not isinstance(obj, (ff.Worker, Mapping)) and callable(obj) and _required_params(obj) == 0:
        try:
            obj = obj()
        except Exception as e:
            raise _Fatal(f"{target}() failed: {type(e).__name__}: {e}{_where(e)}") from e
    if isinstance(obj, ff.Worker):
        return obj
    if isinstance(obj, Mapping):
        if not obj or not all((k is None or isinstance(k, str)) and callable(v) for k, v in obj.items()):
            raise _Fatal(f"{target} must map kinds (str, or None for every other kind) to handler functions")
        return obj
    if callable(obj) and _required_params(obj) == 1:
        return {None: obj}
    raise _Fatal(f"{target} is a {type(obj).__name__}: expected a flowfabric.Worker, a mapping "
                 "{kind: handler}, a handler function, or a function returning one of these")


def _csv(text: Optional[str]) -> Optional[List[str]]:
    return None if text is None else [p.strip() for p in text.split(",") if p.strip()]


def build_worker(args: argparse.Namespace) -> Any:
    """The Worker to run, configured from the command line."""
    import flowfabric as ff

    if args.url is not None:
        os.environ["FF_URL"] = args.url  # before the module is imported: its ff.connect() uses it
    target = resolve(args.target)
    lanes, caps = _csv(args.lanes), _csv(args.capabilities)
    try:
        if isinstance(target, ff.Worker):
            if args.url is not None and target.client.url != ff.redact_url(args.url):
                raise _Fatal(f"{args.target} runs on {target.client.url}, not on --url {ff.redact_url(args.url)}")
            target._configure(lanes=lanes, capabilities=caps, concurrency=args.concurrency)
            return target
        client = ff.connect(args.url)
        worker = ff.Worker(client, lanes=lanes or ["default"], capabilities=caps or (),
                           concurrency=1 if args.concurrency is None else args.concurrency)
        for kind, fn in target.items():
            worker.register(kind, fn)
        return worker
    except ff.FlowFabricError as e:
        raise _Fatal(str(e)) from e


def run_worker(args: argparse.Namespace) -> int:
    logging.basicConfig(level=getattr(logging, str(args.log_level).upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        worker = build_worker(args)
    except _Fatal as e:
        if log.isEnabledFor(logging.DEBUG) and e.__cause__ is not None:
            log.debug("details:", exc_info=e.__cause__)
        print(f"flowfabric worker: {e}", file=sys.stderr)
        return 2
    log.info("worker on %s: lanes=%s concurrency=%d kinds=%s", worker.client.url, ",".join(worker.lanes),
             worker.concurrency, ",".join("*" if k is None else k for k in worker.kinds))
    try:
        worker.run(max_tasks=args.max_tasks, idle_timeout=args.idle_timeout)
    except Exception as e:  # e.g. the client was closed under it
        print(f"flowfabric worker: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    log.info("worker stopped: %s", worker.stats())
    running = worker._in_flight
    if running:
        # A second SIGINT/SIGTERM released the tasks of handlers that are
        # still running; do not wait for them (threads cannot be killed).
        log.warning("exiting with %d handler(s) still running (their tasks were released)", running)
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m flowfabric", description="FlowFabric Python tools.")
    sub = p.add_subparsers(dest="cmd", required=True)
    pw = sub.add_parser("worker", help="run a Worker (or handlers) defined in a module: MODULE:ATTR")
    pw.add_argument("target", help="MODULE:ATTR: a flowfabric.Worker, {kind: handler}, a handler, or a factory")
    pw.add_argument("--url", default=None, help="server URL (exported as FF_URL; default: $FF_URL, else the "
                                                "embedded server)")
    pw.add_argument("--lanes", default=None, help="comma-separated lanes to claim from (default: the worker's, "
                                                  "else 'default')")
    pw.add_argument("--concurrency", type=int, default=None, help="tasks in flight at once")
    pw.add_argument("--capabilities", default=None, help="comma-separated capability tokens")
    pw.add_argument("--max-tasks", type=int, default=None, help="stop after N tasks")
    pw.add_argument("--idle-timeout", type=float, default=None, help="stop after S seconds without work")
    pw.add_argument("--log-level", default="INFO", help="logging level (default INFO; DEBUG adds tracebacks)")
    pd = sub.add_parser("demo", help="end-to-end demo: submit and process jobs in Python")
    pd.add_argument("--url", default=None, help="server URL (default: $FF_URL, else the embedded server)")
    pd.add_argument("--keep-server", action="store_true", help="leave an embedded server the demo started running")
    sub.add_parser("version", help="print versions and where the library was loaded from")
    args = p.parse_args(argv)

    if args.cmd == "worker":
        return run_worker(args)
    if args.cmd == "demo":
        from .demo import main as demo_main
        return demo_main(url=args.url, keep_server=args.keep_server)
    if args.cmd == "version":
        import flowfabric as ff
        print(f"flowfabric (python) {ff.__version__}")
        print(f"libflowfabric        {ff.library_version()} (ABI {ff.abi_version()}), {ff.LIBRARY_PATH}")
        print(f"declarations         ABI {ff.ABI_VERSION}, {ff.CDEF_PATH}")
        print(f"server library       {ff.lua_library_version()}")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
