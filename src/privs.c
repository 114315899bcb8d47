// SPDX-License-Identifier: GPL-2.0-only
/* \summary: capability checks before capture, and dropping them after setup */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "privs.h"
#include "util.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
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

int privs_check_owners(char *missing, size_t len)
{
	cap_t caps = cap_get_proc();
	int perfmon, admin;

	if (!caps) {
		snprintf(missing, len, "reading capabilities: %s", strerror(errno));
		return -errno;
	}
	/* tracing programs; attaching to a cgroup (CAP_SYS_ADMIN before 5.8) */
	perfmon = has_cap(caps, CAP_PERFMON) || has_cap(caps, CAP_SYS_ADMIN);
	admin = has_cap(caps, CAP_NET_ADMIN);
	cap_free(caps);
	if (perfmon && admin)
		return 0;
	snprintf(missing, len, "it needs CAP_PERFMON and CAP_NET_ADMIN (missing %s%s%s)",
		 perfmon ? "" : "CAP_PERFMON", !perfmon && !admin ? " and " : "",
		 admin ? "" : "CAP_NET_ADMIN");
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

int privs_lookup_user(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(name);
	if (!pw) {
		if (errno)
			sc_err("-Z %s: %s", name, strerror(errno));
		else
			sc_err("-Z %s: no such user", name);
		return errno ? -errno : -ENOENT;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

int privs_become(const char *name, uid_t uid, gid_t gid)
{
	/* groups first: setgid and initgroups need the privilege setuid gives up */
	if (initgroups(name, gid) < 0 || setgid(gid) < 0 || setuid(uid) < 0) {
		int err = -errno;

		sc_err("-Z %s: switching user: %s", name, strerror(errno));
		return err;
	}
	return privs_drop();
}
