"""Limits a query worker puts on itself: no network, bounded memory, lower CPU priority.

No network: Oxigraph evaluates `SERVICE <url>` by making an HTTP request from the
process that runs the query. The endpoint refuses SERVICE from the query's tokens
(sparql/policy.py); this is the second wall, so that a query that slipped past that
check, or any other way of making the engine call out, still reaches nothing. A
seccomp filter makes the kernel refuse every socket but Unix ones (the worker talks
to the server over pipes and needs none) and io_uring (which can open sockets
without the socket system call). Once installed it cannot be removed.

Dies with its parent: a worker runs a query in Rust, which only the server stops (by
killing it). If the server itself is killed (SIGKILL, a crash, the OOM killer), nobody
would stop a runaway query, and the orphan would spin on for good. PR_SET_PDEATHSIG makes
the kernel kill the template when the server dies, and each worker when the template does.

Bounded memory: RLIMIT_DATA caps the worker's private memory at what it holds after
loading the graph plus `--max-memory`; past it an allocation fails, and the server
answers 503 and starts a fresh worker.
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
import signal
import struct

PR_SET_NO_NEW_PRIVS = 38
PR_SET_PDEATHSIG = 1
#: The server's pid, passed to the template (pool.py), so a server gone before the
#: template could ask for its parent-death signal is noticed (getppid() would name init).
PARENT_ENV = "HOSPITAL_KG_SERVER_PID"
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000
EACCES, EPERM = 13, 1
AF_UNIX = 1
X32_SYSCALL_BIT = 0x40000000
#: Per architecture: the audit arch of seccomp_data, and the numbers of socket(2) and
#: io_uring_setup(2) (425 on both).
ARCHES = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
# Classic BPF opcodes: BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_JMP|BPF_JGE|BPF_K,
# BPF_RET|BPF_K. Offsets in struct seccomp_data: nr 0, arch 4, args[0] 16 (low word).
LD, JEQ, JGE, RET = 0x20, 0x15, 0x35, 0x06


class SandboxError(OSError):
    """The network sandbox could not be installed (no seccomp, or another architecture)."""


def _stmt(code: int, k: int) -> bytes:
    return struct.pack("HBBI", code, 0, 0, k)


def _jump(code: int, k: int, if_true: int, if_false: int) -> bytes:
    return struct.pack("HBBI", code, if_true, if_false, k)


def network_filter(machine: str | None = None) -> list[bytes]:
    """The BPF program: refuse non-Unix sockets and io_uring; allow everything else."""
    arch, socket_nr, io_uring_nr = ARCHES[machine or platform.machine()]
    refuse = _stmt(RET, RET_ERRNO | EACCES)
    return [
        _stmt(LD, 4),  # another ABI than the one we check numbers for: refuse the call
        _jump(JEQ, arch, 1, 0),
        refuse,
        _stmt(LD, 0),
        _jump(JGE, X32_SYSCALL_BIT, 0, 1),  # x32 numbers alias the 64-bit calls
        refuse,
        _jump(JEQ, socket_nr, 0, 4),
        _stmt(LD, 16),  # socket(domain, ...): Unix sockets only
        _jump(JEQ, AF_UNIX, 0, 1),
        _stmt(RET, RET_ALLOW),
        refuse,
        _jump(JEQ, io_uring_nr, 0, 1),
        _stmt(RET, RET_ERRNO | EPERM),
        _stmt(RET, RET_ALLOW),
    ]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def block_network() -> None:
    """Install the filter in this process (and any it starts); SandboxError if impossible."""
    if platform.system() != "Linux" or platform.machine() not in ARCHES:
        raise SandboxError(f"no seccomp filter for {platform.system()} {platform.machine()}")
    libc = ctypes.CDLL(None, use_errno=True)
    instructions = network_filter()
    code = ctypes.create_string_buffer(b"".join(instructions), len(instructions) * 8)
    program = _Program(len(instructions), ctypes.cast(code, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        raise SandboxError(ctypes.get_errno(), "seccomp filter refused by the kernel")


def die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this process when its parent ends; `parent` is the pid the
    caller knows as its parent, so a parent that ended before the call is caught too."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise SandboxError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:
        os._exit(1)


def data_size() -> int:
    """Bytes of private data this process holds now (VmData of /proc/self/status)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    raise OSError("VmData not found in /proc/self/status")


def limit_memory(extra_bytes: int) -> int:
    """Cap private memory at today's plus `extra_bytes` (RLIMIT_DATA); returns the cap."""
    cap = data_size() + extra_bytes
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    return cap


def lower_priority(niceness: int) -> None:
    """Run at lower CPU priority, so reserved workers answer short queries first."""
    if niceness > 0:
        os.nice(niceness)
