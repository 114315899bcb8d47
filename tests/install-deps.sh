#!/bin/sh
# Install what building, running and testing sockcap needs on Debian 12.
# Only packages that are missing are installed; run as root.
set -e

build="autoconf automake make pkg-config gcc libc6-dev clang llvm bpftool
	libbpf-dev libelf-dev zlib1g-dev libpcap-dev libcap-dev linux-libc-dev
	libmicrohttpd-dev
	libclang-rt-dev
	groff-base man-db"
# libclang-rt-dev: the libFuzzer runtime the fuzzers of make check use.
# live tests compare with tcpdump on veth pairs in namespaces and check
# capture files with tshark and capinfos; check-vm boots Debian's 6.1
# kernel under qemu; bench/ floods with trafgen and iperf3; CI checks the
# code's format with clang-format; --metrics is checked with prometheus
# (promtool, and a server scraping it) and curl; tests/completion.sh loads
# the completion into bash-completion; check-deb builds the Debian package
# (debhelper, whose compat 13 brings dh-autoreconf; po-debconf for its
# debconf templates; dpkg-buildpackage wants build-essential), checks it
# with lintian and sets file capabilities (libcap2-bin); --flows' handshake
# time with a dropped SYN (nftables, in check-vm)
tests="iproute2 tcpdump python3 util-linux procps coreutils
	qemu-system-x86 busybox-static kmod xz-utils tshark wireshark-common
	netsniff-ng iperf3 clang-format prometheus curl bash-completion
	build-essential dpkg-dev debhelper po-debconf lintian libcap2-bin nftables"

missing=
for p in $build $tests; do
	dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
