// SPDX-License-Identifier: GPL-2.0-only
/*
 * \summary: --json: one object per packet (schema version 1), from the same
 * record the summary line is made of; man/sockcap.8 (JSON OUTPUT) documents
 * each key. A key is left out where it does not apply or the packet did not
 * carry it, never written as a zero that stands for "unknown".
 */
#include <linux/if_packet.h>
#include <stdio.h>
#include <time.h>

#include "decode.h"
#include "json.h"
#include "parse.h"

static const char *direction(uint8_t pkttype)
{
	switch (pkttype) {
	case PACKET_HOST:
		return "in";
	case PACKET_OUTGOING:
		return "out";
	case PACKET_BROADCAST:
		return "broadcast";
	case PACKET_MULTICAST:
		return "multicast";
	case PACKET_OTHERHOST:
		return "otherhost";
	}
	return NULL;
}

/* Time, interface, direction, length: what every object has. */
static void json_meta(struct printer *pr, struct json *j, const struct sc_record *r)
{
	const char *ifn = pr->ifname ? pr->ifname(r->ifindex, pr->ifname_arg) : NULL;
	const char *dir = direction(r->pkttype);

	json_u64(j, "version", SC_JSON_VERSION);
	json_time(j, "time", r->ts_ns - (uint64_t)pr->tai_offset_ns);
	if (ifn)
		json_str(j, "ifname", ifn);
	else if (!pr->from_file)
		json_u64(j, "ifindex", r->ifindex);
	if (dir)
		json_str(j, "dir", dir);
	json_u64(j, "length", r->wire_len);
	if (r->flags & SC_F_TRUNC)
		json_bool(j, "truncated", true);
	if (r->flags & SC_F_BAD)
		json_bool(j, "malformed", true);
}

/* An address or MAC as text: the summary line's own formatters. */
static void json_addr(struct json *j, const char *key, const uint8_t *a, int kind)
{
	char s[64];
	struct line l = { .p = s, .end = s + sizeof(s) - 1 };

	if (kind == 6)
		put_ip6(&l, a);
	else if (kind == 4)
		put_ip4(&l, a);
	else
		put_mac(&l, a);
	*l.p = '\0';
	json_str(j, key, s);
}

static void json_link(struct printer *pr, struct json *j, const struct sc_record *r)
{
	if (pr->o.eflag && !(r->flags & SC_F_NOLINK)) {
		json_addr(j, "src_mac", r->mac_src, 0);
		json_addr(j, "dst_mac", r->mac_dst, 0);
	}
	if (r->flags & (SC_F_VLAN_OOB | SC_F_VLAN_INB))
		json_u64(j, "vlan", r->vlan_tci & 0x0fff);
	if (r->flags & SC_F_VLAN2)
		json_u64(j, "vlan2", r->vlan_tci2 & 0x0fff);
}

static void json_tcp(struct json *j, const struct sc_record *r)
{
	char letters[9];

	json_str(j, "flags", tcp_flag_letters(r->l4.tcp.flags, letters));
	json_u64(j, "seq", r->l4.tcp.seq);
	if (r->l4.tcp.flags & 0x10)
		json_u64(j, "ack", r->l4.tcp.ack);
	json_u64(j, "win", r->l4.tcp.win);
}

/*
 * A cut ICMP record stopped before the type (then it is 0, unread) or in
 * an echo's or timestamp's id and seq (the type is one of those, and read).
 */
static void json_icmp(struct json *j, const struct sc_record *r)
{
	bool idseq = sc_icmp_has_idseq(r);

	if ((r->flags & SC_F_TRUNC) && !(idseq && r->l4.icmp.type))
		return;
	json_u64(j, "type", r->l4.icmp.type);
	json_u64(j, "code", r->l4.icmp.code);
	if (idseq && !(r->flags & SC_F_TRUNC) && r->l4_len >= 8) {
		json_u64(j, "id", r->l4.icmp.id);
		json_u64(j, "seq", r->l4.icmp.seq);
	}
}

static void json_ip(struct json *j, const struct sc_record *r, int v6)
{
	enum sc_layer l3 = v6 ? SC_L_IP6 : SC_L_IP;
	bool stopped = r->layer == l3 && (r->flags & (SC_F_TRUNC | SC_F_BAD));
	bool ports = (r->layer == SC_L_TCP || r->layer == SC_L_UDP) && !(r->flags & SC_F_TRUNC);
	static const char *const names[SC_L_MAX] = {
		[SC_L_TCP] = "tcp", [SC_L_UDP] = "udp", [SC_L_ICMP] = "icmp", [SC_L_ICMP6] = "icmp6"
	};
	const char *name = r->layer < SC_L_MAX ? names[r->layer] : NULL;

	json_str(j, "proto", name ? name : v6 ? "ip6" : "ip");
	if (!(r->flags & SC_F_ADDR))
		return; /* the IP header itself was cut */
	/* IPv6 learns the upper-layer protocol at the end of its header chain */
	if (!name && !(v6 && stopped))
		json_u64(j, "ipproto", r->l4proto);
	json_addr(j, "src", r->src, v6 ? 6 : 4);
	json_addr(j, "dst", r->dst, v6 ? 6 : 4);
	if (ports) {
		json_u64(j, "sport", r->l4.tcp.sport);
		json_u64(j, "dport", r->l4.tcp.dport);
	}
	if (r->layer == SC_L_TCP && !(r->flags & SC_F_TRUNC))
		json_tcp(j, r);
	if (r->layer == SC_L_ICMP || r->layer == SC_L_ICMP6)
		json_icmp(j, r);
	if (v6) {
		json_u64(j, "hlim", r->ttl);
		json_u64(j, "flowlabel", r->flowlabel);
	} else {
		json_u64(j, "ttl", r->ttl);
		json_u64(j, "ip_id", r->ip_id);
	}
	if (r->flags & (SC_F_FRAG | SC_F_FRAG1))
		json_u64(j, "frag_offset", v6 ? r->frag : (r->frag & 0x1fff) * 8u);
}

static void json_arp(struct json *j, const struct sc_record *r)
{
	json_str(j, "proto", "arp");
	if (r->flags & SC_F_TRUNC)
		return;
	json_u64(j, "arp_op", r->l4.arp.op);
	/* the parser reads the addresses of Ethernet/IPv4 ARP only */
	if (r->l4.arp.pro == SC_ETH_P_IP && r->l4.arp.hln == 6 && r->l4.arp.pln == 4) {
		json_addr(j, "src", r->src, 4);
		json_addr(j, "dst", r->dst, 4);
	}
}

/* What follows the link-layer header and its tags. */
static void json_net(struct json *j, const struct sc_record *r)
{
	/* nothing of the network layer: the link-layer header or a tag was cut */
	if ((r->layer == SC_L_ETHER || r->layer == SC_L_VLAN) &&
	    (r->flags & (SC_F_TRUNC | SC_F_BAD)))
		return;
	switch (r->ethertype) {
	case SC_ETH_P_IP:
		json_ip(j, r, 0);
		return;
	case SC_ETH_P_IPV6:
		json_ip(j, r, 1);
		return;
	case SC_ETH_P_ARP:
		json_arp(j, r);
		return;
	}
	/* 802.3: the field is a length, and an LLC header follows */
	if ((r->flags & SC_F_NOLINK) ? r->ethertype == SC_ETH_P_802_2 : r->ethertype <= 1500) {
		json_str(j, "proto", "llc");
		return;
	}
	json_str(j, "proto", "ether");
	json_u64(j, "ethertype", r->ethertype);
}

static void json_proc(struct json *j, const struct sc_proc *p, const char *pid, const char *comm,
		      const char *uid)
{
	if (!p->pid)
		return;
	json_u64(j, pid, p->pid);
	json_strn(j, comm, p->comm, sizeof(p->comm));
	json_u64(j, uid, p->uid);
}

size_t sc_format_json(struct printer *pr, const struct sc_record *r, int linktype, char *buf,
		      size_t room)
{
	struct json j;

	if (room < JSON_ROOM_MIN)
		return 0;
	json_begin(&j, buf, room);
	json_meta(pr, &j, r);
	if (linktype >= 0) {
		json_u64(&j, "linktype", (unsigned int)linktype);
		return json_end(&j);
	}
	json_link(pr, &j, r);
	json_net(&j, r);
	json_proc(&j, &r->owner, "pid", "comm", "uid");
	json_proc(&j, &r->peer, "peer_pid", "peer_comm", "peer_uid");
	return json_end(&j);
}
