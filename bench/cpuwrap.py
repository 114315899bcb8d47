#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run a command and report the CPU time of that process alone.

    cpuwrap.py PIDFILE CPUFILE -- COMMAND [ARG...]

Starts COMMAND as a child, writes the child's pid to PIDFILE (so the caller
can signal the command itself, not this wrapper), waits for it with wait4()
and writes "USER_SECONDS SYSTEM_SECONDS ELAPSED_SECONDS" to CPUFILE: the
child's CPU time, with that of the descendants it waited for, in
microseconds, and the wall-clock time it ran. Exits with the child's exit
status (128 + signal number if it was killed by a signal).

stdin, stdout and stderr are passed to the child unchanged.
"""
import os
import signal
import sys
import time


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.stderr.write("usage: cpuwrap.py PIDFILE CPUFILE -- COMMAND [ARG...]\n")
        return 2
    pidfile, cpufile, cmd = sys.argv[1], sys.argv[2], sys.argv[4:]

    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        # The benchmark stops the child with SIGINT; a shell starts
        # background jobs with SIGINT ignored, so give the child the
        # default disposition back (the tools install their own handlers).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            os.execvp(cmd[0], cmd)
        except OSError as e:
            sys.stderr.write("cpuwrap.py: %s: %s\n" % (cmd[0], e.strerror))
        os._exit(127)

    # The wrapper only waits; signals are meant for the child.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    tmp = pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % pid)
    os.rename(tmp, pidfile)

    _, status, ru = os.wait4(pid, 0)
    elapsed = time.monotonic() - start
    with open(cpufile, "w") as f:
        f.write("%.6f %.6f %.6f\n" % (ru.ru_utime, ru.ru_stime, elapsed))
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


if __name__ == "__main__":
    sys.exit(main())
