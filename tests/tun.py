#!/usr/bin/env python3
"""tun.py: the far end of a tun device for live_cooked.sh. It creates tun0
(raw IP, no packet information header) in the current network namespace,
gives it 198.18.7.1/24, brings it up and prints "ready"; then every IPv4
datagram to UDP port 40071 that leaves through tun0 is answered by one
coming in, from 198.18.7.2.40072 to 198.18.7.1.40073, with a payload one
byte longer (a "!" added). It ends after 300 s at most, or when killed.

  ip netns exec NS python3 tests/tun.py

(in live_cooked.sh: sc_start tun NS "out:^ready" "$SC_PYTHON" .../tun.py)
"""
import fcntl
import os
import select
import struct
import sys
import time

sys.dont_write_bytecode = True
import pkt  # noqa: E402 (after the line above)

TUNSETIFF = 0x400454ca
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000


def main():
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", b"tun0", IFF_TUN | IFF_NO_PI))
    if os.system("ip addr add 198.18.7.1/24 dev tun0 && ip link set tun0 up"):
        sys.exit(1)
    print("ready", flush=True)
    end = time.time() + 300
    while time.time() < end:
        if not select.select([fd], [], [], 1)[0]:
            continue
        p = os.read(fd, 65536)
        if len(p) < 28 or p[0] >> 4 != 4 or p[9] != 17:
            continue
        ihl = (p[0] & 15) * 4
        if struct.unpack("!H", p[ihl + 2:ihl + 4])[0] != 40071:
            continue
        # IP identification 7, fragment bits clear
        os.write(fd, pkt.ipv4_udp("198.18.7.2", "198.18.7.1", 40072, 40073,
                                  p[ihl + 8:] + b"!", 7))


if __name__ == "__main__":
    main()
