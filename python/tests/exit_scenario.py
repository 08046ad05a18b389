"""A program that leaves everything open when it exits (used by test_exit.py).

    python exit_scenario.py URL            run it once, then exit normally
    python exit_scenario.py URL --runs N   import flowfabric once, then fork N
                                           children that each run it and exit
                                           normally; print one line per failure

What is left open at exit: a client whose server went away (it keeps
reconnecting: it was connected through a proxy that is then closed), two sync
clients with workers running in daemon threads, an engine, an AsyncClient
whose loop has ended, and an AsyncClient with a worker running in its own
loop in a daemon thread. Executions are submitted so the workers are busy.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import threading
from typing import List, Tuple
from urllib.parse import urlparse

import flowfabric as ff


class Proxy:
    """TCP forwarder to the server; close() makes its port refuse connections."""

    def __init__(self, target: Tuple[str, int], port: int = 0) -> None:
        self.target = target
        self.lsock = socket.socket()
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind(("127.0.0.1", port))
        self.lsock.listen(16)
        self.port = self.lsock.getsockname()[1]
        self.socks: List[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                down, _ = self.lsock.accept()
                up = socket.create_connection(self.target)
            except OSError:
                return
            self.socks += [down, up]
            for a, b in ((down, up), (up, down)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                data = a.recv(65536)
                if not data:
                    break
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        # shutdown() first: close() alone would leave the socket listening
        # while the accept thread is blocked in accept() (Linux)
        try:
            self.lsock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.lsock.close()
        for s in self.socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def scenario(url: str) -> None:
    u = urlparse(url)
    proxy = Proxy((u.hostname or "127.0.0.1", u.port or 6379))
    lost = ff.connect(f"redis://127.0.0.1:{proxy.port}", connect_timeout=10)
    proxy.close()  # `lost` now reconnects to a closed port, for ever

    lane = f"exit-{os.getpid()}"
    clients = [ff.connect(url) for _ in range(2)]
    started = threading.Barrier(3)

    def run_worker(c: ff.Client) -> None:
        w = ff.Worker(c, [lane], concurrency=2, poll_interval=0.1, engine=False)
        w.register("k", lambda task: b"ok")
        started.wait()
        w.run(handle_signals=False)

    for c in clients:
        threading.Thread(target=run_worker, args=(c,), daemon=True).start()
    started.wait()
    clients[0].engine(tick=0.1)
    for _ in range(4):
        clients[0].submit("k", b"", lane=lane)

    async def connect_only() -> ff.AsyncClient:
        return await ff.connect_async(url)
    idle_async = asyncio.run(connect_only())  # its loop is gone; the client is still open

    ready = threading.Event()

    def async_worker() -> None:
        async def main() -> None:
            ac = await ff.connect_async(url)
            w = ff.Worker(ac, [lane + "-a"], concurrency=2, poll_interval=0.1, engine=False)

            @w.task("k")
            async def k(task: ff.Task) -> bytes:
                return b"ok"
            run = asyncio.ensure_future(w.arun(handle_signals=False))
            while not w._running and not run.done():
                await asyncio.sleep(0.005)
            ready.set()
            await run
        asyncio.run(main())
    threading.Thread(target=async_worker, daemon=True).start()
    ready.wait(10)
    clients[1].submit("k", b"", lane=lane + "-a")
    assert lost is not None and idle_async is not None  # left open on purpose


def fork_runs(url: str, n: int, parallel: int = 2) -> int:
    """Fork ``n`` children (``parallel`` at a time), each running the
    scenario then exiting normally; a child fails when its exit status is not
    0 or it printed anything."""
    running = {}
    failures = done = 0

    def reap() -> None:
        nonlocal failures, done
        pid, status = os.waitpid(-1, 0)
        i = running.pop(pid)
        log = f"child-{i}.log"
        with open(log) as f:
            text = f.read()
        os.unlink(log)
        done += 1
        if os.waitstatus_to_exitcode(status) != 0 or text:
            failures += 1
            print(f"run {i}: exit {os.waitstatus_to_exitcode(status)}; output: {text!r}", flush=True)

    for i in range(n):
        while len(running) >= parallel:
            reap()
        pid = os.fork()
        if pid == 0:
            # stdout/stderr of the child: anything printed at exit is a failure too
            out = os.open(f"child-{i}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(out, 1)
            os.dup2(out, 2)
            scenario(url)
            sys.exit(0)  # through the interpreter's normal shutdown (Py_FinalizeEx, atexit, C exit)
        running[pid] = i
    while running:
        reap()
    print(f"{n - failures}/{n} runs exited cleanly", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[2] == "--runs":
        sys.exit(fork_runs(sys.argv[1], int(sys.argv[3])))
    scenario(sys.argv[1])
