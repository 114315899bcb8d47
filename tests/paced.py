#!/usr/bin/env python3
"""paced.py: a flood at a bounded pace, for file_faults.sh: bursts of 50
UDP datagrams of LEN bytes to DST:DPORT with 5 ms between bursts (about
10000 datagrams a second, fewer on a slow machine), for 20 s or 4000
bursts at most, or until killed. Unlike tg.py's flood it counts nothing:
it only keeps a capture busy in the background.

  ip netns exec NS python3 tests/paced.py DST DPORT LEN

(in file_faults.sh: sc_start NAME "$B" "" "$SC_PYTHON" .../paced.py ...)
"""
import socket
import sys
import time


def main():
    dst, dport, length = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    data, end = b"p" * length, time.time() + 20
    for _ in range(4000):
        if time.time() > end:
            break
        for _ in range(50):
            s.sendto(data, (dst, dport))
        time.sleep(0.005)


if __name__ == "__main__":
    main()
