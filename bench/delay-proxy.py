#!/usr/bin/env python3
"""delay-proxy.py — a TCP proxy that adds a fixed delay each way and counts
round trips, for bench/pg-run (part of the benchmark, not of ladder).

    delay-proxy.py LISTEN_PORT TARGET_HOST TARGET_PORT DELAY_MS STATS_FILE

Every chunk read from one side is written to the other DELAY_MS later, in
order, so a request and its answer cost 2 x DELAY_MS more than directly.

A round trip is counted each time the client sends after the server last
sent on that connection (or sends first): a client that pipelines a whole
transaction and then waits once costs one, a client that waits for every
statement's answer costs one per statement. After each connection closes,
STATS_FILE is rewritten with the totals so far: "connections round_trips
client_bytes server_bytes". It runs until killed.
"""
import asyncio
import os
import sys

listen_port, host, port, delay_ms, stats_path = sys.argv[1:6]
DELAY = float(delay_ms) / 1000.0
totals = {"connections": 0, "round_trips": 0, "c2s": 0, "s2c": 0}


def write_stats():
    tmp = stats_path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%(connections)d %(round_trips)d %(c2s)d %(s2c)d\n" % totals)
    os.replace(tmp, stats_path)


async def pump(src, dst, direction, last):
    loop = asyncio.get_running_loop()
    while True:
        data = await src.read(65536)
        if not data:
            break
        if direction == "c2s" and last[0] != "c2s":
            totals["round_trips"] += 1
        last[0] = direction
        totals[direction] += len(data)
        loop.call_later(DELAY, dst.write, data)
    await asyncio.sleep(DELAY)
    try:
        dst.write_eof()
    except (OSError, RuntimeError):
        pass


async def handle(creader, cwriter):
    try:
        sreader, swriter = await asyncio.open_connection(host, int(port))
    except OSError:
        cwriter.close()
        return
    for w in (cwriter, swriter):
        sock = w.get_extra_info("socket")
        if sock is not None:
            import socket

            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    last = [None]
    await asyncio.gather(
        pump(creader, swriter, "c2s", last),
        pump(sreader, cwriter, "s2c", last),
        return_exceptions=True,
    )
    for w in (cwriter, swriter):
        w.close()
    totals["connections"] += 1
    write_stats()


async def main():
    write_stats()
    server = await asyncio.start_server(handle, "127.0.0.1", int(listen_port))
    async with server:
        await server.serve_forever()


asyncio.run(main())
