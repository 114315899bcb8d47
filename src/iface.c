// SPDX-License-Identifier: GPL-2.0-only
/* \summary: interfaces: the default choice and the list (-D) */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture.h"
#include "iface.h"
#include "util.h"

/* The first interface that is up, running and not loopback, as tcpdump picks. */
const char *iface_default(void)
{
	static char name[IF_NAMESIZE];
	struct if_nameindex *all = if_nameindex(), *i;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	name[0] = 0;
	for (i = all; fd >= 0 && i && i->if_index; i++) {
		struct ifreq ifr = { 0 };

		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 &&
		    (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING) &&
		    !(ifr.ifr_flags & IFF_LOOPBACK)) {
			snprintf(name, sizeof(name), "%s", i->if_name);
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	if_freenameindex(all);
	return name[0] ? name : NULL;
}

/* -D: every interface with its index, name, state and flags, as tcpdump -D. */
int iface_list(void)
{
	static const struct {
		short flag;
		const char *name;
	} flags[] = {
		{ IFF_UP, "Up" },
		{ IFF_RUNNING, "Running" },
		{ IFF_LOOPBACK, "Loopback" },
		{ IFF_POINTOPOINT, "Point-to-point" },
		{ IFF_PROMISC, "Promiscuous" },
		{ IFF_NOARP, "No ARP" },
	};
	struct if_nameindex *all = if_nameindex();
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (!all || fd < 0) {
		sc_err("listing interfaces: %s", strerror(errno));
		if (all)
			if_freenameindex(all);
		return EXIT_FAILURE;
	}
	for (struct if_nameindex *i = all; i->if_index; i++) {
		struct ifreq ifr = { 0 };
		const char *sep = "";

		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", i->if_name);
		printf("%u.%s [", i->if_index, i->if_name);
		if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
			for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
				if (ifr.ifr_flags & flags[f].flag) {
					printf("%s%s", sep, flags[f].name);
					sep = ", ";
				}
			}
			if (!(ifr.ifr_flags & IFF_UP))
				printf("%sDown", sep);
		}
		printf("]\n");
	}
	printf("%s (every interface) [Up, Running]\n", CAPTURE_ANY);
	close(fd);
	if_freenameindex(all);
	return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

const char *iface_name(uint32_t ifindex, void *names)
{
	struct iface_names *n = names;
	__typeof__(n->slot[0]) *slot = &n->slot[ifindex % 64];

	if (slot->ifindex != ifindex || !slot->name[0]) {
		slot->ifindex = ifindex;
		if (!if_indextoname(ifindex, slot->name)) {
			slot->name[0] = 0;
			return NULL;
		}
	}
	return slot->name;
}
