// SPDX-License-Identifier: GPL-2.0-only
/* \summary: capability checks before capture, and dropping them after setup */
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "privs.h"
#include "util.h"

#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static int has_cap(cap_t caps, cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;

	if (cap_get_flag(caps, cap, CAP_EFFECTIVE, &v) < 0)
		return 0;
	return v == CAP_SET;
}

int privs_check(void)
{
	cap_t caps = cap_get_proc();
	int bpf, raw;

	if (!caps) {
		sc_err("reading capabilities: %s", strerror(errno));
		return -errno;
	}
	/* Before Linux 5.8 CAP_SYS_ADMIN stood in for CAP_BPF. */
	bpf = has_cap(caps, CAP_BPF) || has_cap(caps, CAP_SYS_ADMIN);
	raw = has_cap(caps, CAP_NET_RAW);
	cap_free(caps);
	if (bpf && raw)
		return 0;
	sc_err("permission denied: capturing needs CAP_BPF and CAP_NET_RAW (missing %s%s%s); run "
	       "as root",
	       bpf ? "" : "CAP_BPF", !bpf && !raw ? " and " : "", raw ? "" : "CAP_NET_RAW");
	return -EPERM;
}

int privs_drop(void)
{
	cap_t none = cap_init();
	int err = 0;

	if (!none)
		return -errno;
	if (cap_reset_ambient() < 0 && errno != EINVAL)
		err = -errno;
	else if (cap_set_proc(none) < 0)
		err = -errno;
	cap_free(none);
	if (!err && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		err = -errno;
	if (err)
		sc_err("dropping capabilities: %s", strerror(-err));
	return err;
}
