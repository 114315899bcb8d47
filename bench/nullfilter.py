#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A packet socket whose filter keeps nothing: the floor of capture cost.

    nullfilter.py IFACE

Opens an AF_PACKET socket, attaches the one-instruction classic BPF program
"ret #0" with SO_ATTACH_FILTER, binds it to IFACE for every protocol and
sleeps until SIGINT or SIGTERM. The kernel runs the filter for every packet
on IFACE and queues none of them, so the cost it adds to the packet path is
the least any packet-socket capture can cost. Prints "listening on IFACE"
to stderr when the filter is in place, and at exit the socket's own counters
(PACKET_STATISTICS), which should both be 0.
"""
import ctypes
import signal
import socket
import struct
import sys

SO_ATTACH_FILTER = 26
SOL_PACKET = 263
PACKET_STATISTICS = 6
ETH_P_ALL = 0x0003
BPF_RET_K = 0x06  # BPF_RET | BPF_K


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: nullfilter.py IFACE\n")
        return 2
    ifname = sys.argv[1]

    # Blocked signals wait for sigwait() below, whenever they arrive.
    stop_signals = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)

    # struct sock_filter { __u16 code; __u8 jt, jf; __u32 k; } = ret #0
    insns = ctypes.create_string_buffer(struct.pack("HBBI", BPF_RET_K, 0, 0, 0))
    # struct sock_fprog { unsigned short len; struct sock_filter *filter; }
    fprog = struct.pack("HP", 1, ctypes.addressof(insns))

    # Protocol 0 receives nothing before bind(): the filter is in place
    # before the first packet can reach the socket.
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    s.bind((ifname, ETH_P_ALL))
    sys.stderr.write("nullfilter: listening on %s, filter 'ret #0'\n" % ifname)
    sys.stderr.flush()

    signal.sigwait(stop_signals)

    queued, dropped = struct.unpack("II", s.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))
    sys.stderr.write("%d packets queued to the socket\n" % queued)
    sys.stderr.write("%d packets dropped by kernel\n" % dropped)
    s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
