"""Command line: ``python -m flowfabric COMMAND``.

    python -m flowfabric worker MODULE:ATTR [--max-tasks N] [--idle-timeout S]
        Import MODULE (the current directory is on sys.path), take ATTR -- a
        flowfabric.Worker, or a callable returning one -- and run it until
        SIGINT/SIGTERM (graceful), N tasks, or S idle seconds.
    python -m flowfabric demo [--url URL] [--keep-server]
        Submit a scripted set of jobs from Python, process them with Python
        workers, and show the results.
    python -m flowfabric version
        Package, library, ABI and server-library versions; where the library
        and the FFI declarations were loaded from.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from typing import List, Optional


def _load_worker(spec: str) -> object:
    import flowfabric as ff

    if ":" not in spec:
        raise SystemExit(f"flowfabric worker: expected MODULE:ATTR, got {spec!r}")
    mod_name, attr = spec.split(":", 1)
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    module = importlib.import_module(mod_name)
    obj: object = module
    for part in attr.split("."):
        obj = getattr(obj, part)
    if not isinstance(obj, ff.Worker) and callable(obj):
        obj = obj()
    if not isinstance(obj, ff.Worker):
        raise SystemExit(f"flowfabric worker: {spec} is not a flowfabric.Worker (got {type(obj).__name__})")
    return obj


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m flowfabric", description="FlowFabric Python tools.")
    sub = p.add_subparsers(dest="cmd", required=True)
    pw = sub.add_parser("worker", help="run a Worker defined in a module (MODULE:ATTR)")
    pw.add_argument("target", help="MODULE:ATTR naming a flowfabric.Worker or a factory returning one")
    pw.add_argument("--max-tasks", type=int, default=None, help="stop after N tasks")
    pw.add_argument("--idle-timeout", type=float, default=None, help="stop after S seconds without work")
    pw.add_argument("--log-level", default="INFO", help="logging level (default INFO)")
    pd = sub.add_parser("demo", help="end-to-end demo: submit and process jobs in Python")
    pd.add_argument("--url", default=None, help="server URL (default: $FF_URL, else the embedded server)")
    pd.add_argument("--keep-server", action="store_true", help="leave an embedded server the demo started running")
    sub.add_parser("version", help="print versions and where the library was loaded from")
    args = p.parse_args(argv)

    if args.cmd == "worker":
        logging.basicConfig(level=getattr(logging, str(args.log_level).upper(), logging.INFO),
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        worker = _load_worker(args.target)
        log = logging.getLogger("flowfabric")
        log.info("worker on %s: lanes=%s concurrency=%d kinds=%s", worker.client.url,  # type: ignore[attr-defined]
                 worker.lanes, worker.concurrency, worker.kinds)  # type: ignore[attr-defined]
        worker.run(max_tasks=args.max_tasks, idle_timeout=args.idle_timeout)  # type: ignore[attr-defined]
        log.info("worker stopped: %s", worker.stats())  # type: ignore[attr-defined]
        running = worker._in_flight  # type: ignore[attr-defined]
        if running:
            # A second SIGINT/SIGTERM released the tasks of handlers that are
            # still running; do not wait for them (threads cannot be killed).
            log.warning("exiting with %d handler(s) still running (their tasks were released)", running)
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(1)
        return 0
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
