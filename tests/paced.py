#!/usr/bin/env python3
"""paced.py: datagrams at a bounded pace: bursts of BURST (default 50) UDP
datagrams of LEN bytes to DST:DPORT with 5 ms between bursts (about 10000
datagrams a second with the default, fewer on a slow machine), for SECS
(default 20) seconds or COUNT (default 4000) bursts at most, or until
killed. Prints "sending" once the first burst is out. Unlike tg.py's flood
it counts nothing: it keeps a capture busy (file_faults.sh), or stamps a
packet every 5 ms across rotation periods (file_rotate.sh, BURST 1).

  ip netns exec NS python3 tests/paced.py DST DPORT LEN [BURST [COUNT [SECS]]]
"""
import socket
import sys
import time


def main():
    dst, dport, length = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    burst, count, secs = ([int(a) for a in sys.argv[4:7]] + [50, 4000, 20][len(sys.argv[4:7]):])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    data, end = b"p" * length, time.time() + secs
    for i in range(count):
        if time.time() > end:
            break
        for _ in range(burst):
            s.sendto(data, (dst, dport))
        if i == 0:
            print("sending", flush=True)
        time.sleep(0.005)


if __name__ == "__main__":
    main()
