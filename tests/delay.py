#!/usr/bin/env python3
"""delay.py: a bridge between two interfaces that delays every frame, for
the handshake times of --flows on a kernel without netem.

  ip netns exec R python3 tests/delay.py NEAR FAR MS [DROP_SYN_PORT]

Every frame that arrives on one of NEAR and FAR leaves on the other MS/2
milliseconds after it arrived, so a round trip through the bridge takes MS
more. The time is counted from the kernel's receive time, and the bridge
sleeps until a frame is due: its own wake-ups and Python's pace do not add
to the delay, as long as they take less than MS/2. With DROP_SYN_PORT, the
first TCP SYN to that port (IPv4 or IPv6, from NEAR) is dropped instead.
Prints "ready", then runs until killed or for 300 s. (Run it with a
real-time priority, chrt -f, so a busy machine does not make it late.)

The sockets read and write a virtio-net header with each frame
(PACKET_VNET_HDR): a frame whose checksum the sender left to the device
(a veth's offload) or a TSO segment leaves with the same request, so the
far host's stack finishes it as the device would have.
"""
import ctypes
import heapq
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET, PACKET_VNET_HDR = 263, 15
VNET_LEN = 10
PACKET_OUTGOING = 4
SO_TIMESTAMPNS = 35  # and SCM_TIMESTAMPNS
PR_SET_TIMERSLACK = 29
SPIN = 0.0005  # the last half millisecond before a frame is due: a busy wait


def arrival(anc):
    """the kernel's receive time of a frame (CLOCK_REALTIME), else now"""
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            return sec + nsec / 1e9
    return time.time()


def open_port(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind((ifname, ETH_P_ALL))
    s.setblocking(False)
    return s


def is_syn_to(frame, port):
    """frame (Ethernet) is a TCP SYN without ACK to port"""
    et = struct.unpack("!H", frame[12:14])[0]
    if et == 0x0800 and len(frame) >= 34 and frame[23] == 6:
        l4 = 14 + (frame[14] & 15) * 4
    elif et == 0x86DD and len(frame) >= 54 and frame[20] == 6:
        l4 = 54
    else:
        return False
    if len(frame) < l4 + 14:
        return False
    return struct.unpack("!H", frame[l4 + 2:l4 + 4])[0] == port and frame[l4 + 13] & 0x12 == 0x02


def main(a):
    near, far = open_port(a[0]), open_port(a[1])
    delay = float(a[2]) / 1000
    drop_port = int(a[3]) if len(a) > 3 else None
    held = []  # (due, sequence, socket, frame)
    seq = 0
    # wake on time: the default slack of 50 us is a quarter percent of 20 ms,
    # and a wake-up takes tens of microseconds more: wake SPIN early and spin
    ctypes.CDLL(None).prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0)
    print("ready", flush=True)
    end = time.monotonic() + 300
    while time.monotonic() < end:
        now = time.time()
        while held and held[0][0] <= now + SPIN:
            while time.time() < held[0][0]:
                pass
            _, _, out, data = heapq.heappop(held)
            out.send(data)
            now = time.time()
        timeout = max(0.0, held[0][0] - now - SPIN) if held else 1.0
        for s in select.select([near, far], [], [], timeout)[0]:
            while True:
                try:
                    data, anc, _, addr = s.recvmsg(65536 + VNET_LEN, 64)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue
                if s is near and drop_port is not None and is_syn_to(data[VNET_LEN:], drop_port):
                    drop_port = None
                    continue
                seq += 1
                heapq.heappush(held, (arrival(anc) + delay / 2, seq, far if s is near else near, data))


if __name__ == "__main__":
    main(sys.argv[1:])
