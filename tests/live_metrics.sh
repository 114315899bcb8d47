#!/bin/bash
# --metrics, in a namespace of the test's own (so every port in it is free
# and its lo carries only the test's traffic):
#  - sockcap -i lo: the page passes `promtool check metrics`, and its
#    counters, scraped once the traffic is over, equal the statistics
#    sockcap prints when SIGINT stops it, exactly. The capture's expression
#    is 'not tcp' so the scrapes (and the queries to Prometheus) are not
#    counted: only sockcap_packets_seen_total, counted before the
#    expression, grows with them;
#  - a Prometheus server scraping it every second stores the value that
#    sockcap served (its HTTP API, /api/v1/query);
#  - -Z nobody -w FILE -i lo -i d0, served on port 946: the port was bound
#    as root (nobody may not bind below 1024), every thread of sockcap runs
#    as nobody without a capability, and the page still answers, with the
#    kernel's counters (read through the map after the drop) and
#    per-interface counters of the packet sockets that add up to the
#    statistics;
#  - -i any, served on [::1]; a port in use and an address not of this
#    host: one line, exit status 1, nothing captured.
. "${srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

sc_need_root
sc_need_cmd ip iproute2
sc_need_cmd sysctl procps
sc_need_cmd timeout coreutils
sc_need_cmd tcpdump tcpdump
sc_need_cmd curl curl
sc_need_cmd promtool prometheus
sc_need_cmd prometheus prometheus
sc_need_cmd "$SC_PYTHON" python3
sc_init

sc_netns N m
# d0: one end of a veth pair without IPv6, and a static neighbour: it
# carries only the datagrams sent to 198.18.0.5
ip netns exec "$N" sysctl -q -w net.ipv6.conf.default.disable_ipv6=1 >/dev/null &&
	ip -n "$N" link add d0 type veth peer name d1 &&
	ip -n "$N" link set d0 up && ip -n "$N" link set d1 up &&
	ip -n "$N" addr add 198.18.0.1/24 dev d0 &&
	ip -n "$N" neigh add 198.18.0.5 lladdr 02:00:00:00:00:05 dev d0 nud permanent ||
	sc_die "cannot set up d0"

PORT=9464 LOW=946 PROM=127.0.0.1:9090
incurl() { ip netns exec "$N" timeout 30 curl -sS -f "$@"; }

# scrape NAME [ADDR]: the page into NAME.prom (status 200 and Prometheus's
# content type, or a failure)
scrape() {
	local ct
	ct=$(incurl -o "$SC_TMP/$1.prom" -w '%{content_type}' "http://${2:-127.0.0.1:$PORT}/metrics") &&
		[ "$ct" = "text/plain; version=0.0.4; charset=utf-8" ]
}
# val NAME SAMPLE: the value of SAMPLE (its line as sockcap writes it)
val() { awk -v k="$2" '$1 == k { print $2 }' "$SC_TMP/$1.prom"; }
# the page without what grows with each scrape
still() { grep -v -e '^sockcap_packets_seen_total' "$SC_TMP/$1.prom"; }
# query EXPR: what Prometheus answers, "{LABELS} VALUE" a series
query() {
	incurl --get --data-urlencode "query=$1" "http://$PROM/api/v1/query" >"$SC_TMP/query.json" &&
		"$SC_PYTHON" "$srcdir/tests/metrics.py" vector <"$SC_TMP/query.json"
}

# settle NAME [ADDR]: scrape until two pages 0.3 s apart have the same
# counters: the traffic is over and all of it was counted.
settle() {
	local i
	for ((i = 0; i < 50; i++)); do
		scrape "$1.a" "${2:-}" && sleep 0.3 && scrape "$1" "${2:-}" &&
			[ "$(still "$1.a")" = "$(still "$1")" ] && return 0
		sleep 0.2
	done
	sc_die "$1: the counters did not settle"
}

promcheck() { # WHAT NAME
	promtool check metrics <"$SC_TMP/$2.prom" >"$SC_TMP/promtool.out" 2>&1 && return 0
	sc_fail "$1: promtool check metrics: $(head -n 5 "$SC_TMP/promtool.out")"
	sc_show "$2.prom" "$SC_TMP/$2.prom"
}

udp() { # DST COUNT
	sc_tg "$N" udp "${1%.*}.1" 40000 "$1" 40001 20 "$2" >/dev/null || sc_die "sender failed"
}

# ------------------------------------------------ -i lo, and Prometheus
sc_sockcap lo "$N" -i lo --metrics "127.0.0.1:$PORT" 'not tcp'
udp 127.0.0.1 40
settle lo
promcheck "-i lo" lo
received=$(val lo 'sockcap_packets_received_total{interface="lo"}')
captured=$(val lo 'sockcap_packets_captured_total{interface="lo"}')
dropped=$(val lo 'sockcap_packets_dropped_total{interface="lo"}')
unowned=$(val lo sockcap_process_unattributed_packets_total)
owned=$(val lo sockcap_process_attributed_packets_total)
[ "${received:-0}" -ge 40 ] 2>/dev/null || sc_fail "-i lo: received '$received' after 40 datagrams"
grep -q -E '^sockcap_build_info\{version="[0-9.]+"\} 1$' "$SC_TMP/lo.prom" ||
	sc_fail "-i lo: no sockcap_build_info{version=...} 1"
start=$(val lo sockcap_start_time_seconds)
now=$(date +%s)
[ "${start%.*}" -le "$now" ] && [ "${start%.*}" -ge $((now - 120)) ] 2>/dev/null ||
	sc_fail "-i lo: sockcap_start_time_seconds '$start' is not in the last two minutes ($now)"

cat >"$SC_TMP/prom.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: sockcap
    static_configs:
      - targets: ['127.0.0.1:$PORT']
EOF
sc_start prom "$N" "err:Server is ready to receive web requests" prometheus \
	--config.file="$SC_TMP/prom.yml" --storage.tsdb.path="$SC_TMP/tsdb" \
	--web.listen-address="$PROM" --log.level=info
# until its first scrape is stored
for ((i = 0; i < 100; i++)); do
	incurl --get --data-urlencode "query=sockcap_packets_received_total" \
		"http://$PROM/api/v1/query" 2>/dev/null | grep -q '"result":\[{' && break
	sleep 0.2
done
sc_check_eq "Prometheus: sockcap_packets_received_total" \
	"{instance=127.0.0.1:$PORT,interface=lo,job=sockcap} $received" \
	"$(query sockcap_packets_received_total)"
sc_check_eq "Prometheus: up" "{instance=127.0.0.1:$PORT,job=sockcap} 1" "$(query up)"
sc_stop prom TERM

scrape lo.last || sc_fail "-i lo: no page after Prometheus stopped"
sc_stop lo INT
sc_check_eq "-i lo: exit status after SIGINT" 0 "$SC_RC"
sc_stats "$SC_TMP/lo.err"
sc_check_eq "-i lo: received, served and printed" "$received" "$SC_RECEIVED"
sc_check_eq "-i lo: captured, served and printed" "$captured" "$SC_CAPTURED"
sc_check_eq "-i lo: dropped, served and printed" "$dropped" "$SC_DROPPED"
sc_check_eq "-i lo: captured, lines" "$(sc_lines "$SC_TMP/lo.out")" "$captured"
own=$(sed -n -E 's/^([0-9]+) of ([0-9]+) TCP and UDP packets named no process .*/\1 \2/p' "$SC_TMP/lo.err")
sc_check_eq "-i lo: unattributed and all TCP and UDP packets, served and printed" \
	"$unowned $((unowned + owned))" "$own"
seen=$(sed -n -E 's/^([0-9]+) packets seen by the socket .*/\1/p' "$SC_TMP/lo.err")
last_seen=$(val lo.last 'sockcap_packets_seen_total{interface="lo"}')
[ "${last_seen:-x}" -le "${seen:-0}" ] 2>/dev/null ||
	sc_fail "-i lo: seen before the expression: served '$last_seen', more than the final '$seen'"
scrape gone 2>/dev/null && sc_fail "-i lo: the page still answers after sockcap exited"

# ------------------------------------------------ -Z nobody, -w, two interfaces
chmod 755 "$SC_TMP"
mkdir -m 777 "$SC_TMP/z" || sc_die "mkdir failed"
sc_sockcap z "$N" -Z nobody -i lo -i d0 -w "$SC_TMP/z/z.pcapng" --metrics "127.0.0.1:$LOW" 'not tcp'
pid=${SC_CPID[z]}
for t in /proc/"$pid"/task/*; do
	sc_check_eq "-Z nobody: uid of thread ${t##*/}" 65534 "$(awk '/^Uid:/ { print $3 }' "$t/status")"
	sc_check_eq "-Z nobody: CapEff of thread ${t##*/}" 0000000000000000 \
		"$(awk '/^CapEff:/ { print $2 }' "$t/status")"
done
[ "$(ls /proc/"$pid"/task | wc -l)" -ge 2 ] || sc_fail "-Z nobody: no HTTP thread"
sc_tg "$N" udp 127.0.0.1 40000 127.0.0.1 40001 20 10 + \
	udp 198.18.0.1 40000 198.18.0.5 40001 20 7 >/dev/null || sc_die "sender failed"
settle z "127.0.0.1:$LOW"
promcheck "-Z nobody" z
sc_check_eq "-Z nobody: captured on d0 (datagrams sent there)" 7 \
	"$(val z 'sockcap_packets_captured_total{interface="d0"}')"
zr=$(val z 'sockcap_packets_received_total{interface="lo,d0"}')
[ "${zr:-0}" -ge 17 ] 2>/dev/null || sc_fail "-Z nobody: received '$zr' after 17 datagrams"
zc=$(($(val z 'sockcap_packets_captured_total{interface="lo"}') + $(val z 'sockcap_packets_captured_total{interface="d0"}')))
zd=$(($(val z 'sockcap_packets_dropped_total{interface="lo"}') + $(val z 'sockcap_packets_dropped_total{interface="d0"}')))
sc_stop z INT
sc_check_eq "-Z nobody: exit status after SIGINT" 0 "$SC_RC"
sc_stats "$SC_TMP/z.err"
sc_check_eq "-Z nobody: received, served and printed" "$zr" "$SC_RECEIVED"
sc_check_eq "-Z nobody: captured on both, served and printed" "$zc" "$SC_CAPTURED"
sc_check_eq "-Z nobody: dropped on both, served and printed" "$zd" "$SC_DROPPED"
sc_check_eq "-Z nobody: packets in the file (tcpdump)" "$zc" \
	"$(tcpdump -n -r "$SC_TMP/z/z.pcapng" 2>/dev/null | wc -l)"

# ------------------------------------------------ -i any on [::1]; refusals
sc_sockcap any "$N" -i any --metrics "[::1]:$PORT" 'not tcp'
udp 127.0.0.1 5
settle any "[::1]:$PORT"
promcheck "-i any" any
ar=$(val any 'sockcap_packets_received_total{interface="any"}')

# refused WHAT NEEDLE ARGS...: exit 1, one line naming the problem
refused() {
	local what=$1 needle=$2 rc
	shift 2
	ip netns exec "$N" timeout 30 "$SOCKCAP" "$@" >"$SC_TMP/ref.out" 2>"$SC_TMP/ref.err" </dev/null
	rc=$?
	sc_check_eq "$what: exit status" 1 "$rc"
	sc_check_eq "$what: stderr" "sockcap: $needle" "$(cat "$SC_TMP/ref.err")"
	[ -s "$SC_TMP/ref.out" ] && sc_fail "$what: printed on stdout"
}
refused "a port in use" "--metrics [::1]:$PORT: Address already in use" \
	-i lo --metrics "[::1]:$PORT"
refused "an address of no interface" "--metrics 198.18.0.77:$PORT: Cannot assign requested address" \
	-i lo --metrics "198.18.0.77:$PORT"

sc_stop any INT
sc_check_eq "-i any: exit status after SIGINT" 0 "$SC_RC"
sc_stats "$SC_TMP/any.err"
sc_check_eq "-i any: received, served and printed" "$ar" "$SC_RECEIVED"

sc_done
