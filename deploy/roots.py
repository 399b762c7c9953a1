"""Pristine Debian roots made with debootstrap, kept in a cache so that a rerun
takes seconds, and used through a throwaway overlay so that they stay pristine.

Needs root (debootstrap, mount, chroot) and Debian's package mirror.
"""
import contextlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

APT_SOURCES = Path("/etc/apt/sources.list.d")
KIT = Path(__file__).resolve().parent.parent
CACHE = KIT / ".cache" / "deploy"  # git-ignored; delete it to make the roots again
# Inside a root, as Gradescope's images have it: nothing of this machine's
# environment but how it reaches the network (proxies, and the certificate
# authorities pip must trust where the network intercepts TLS).
ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root",
       "LANG": "C.UTF-8", "DEBIAN_FRONTEND": "noninteractive"}
PROXIES = ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")
CERTIFICATES = "/etc/deploy-check-ca.pem"  # in the root


def mirror(sources=APT_SOURCES, listing=Path("/etc/apt/sources.list")):
    """The Debian archive this machine's own apt uses (deb822 .sources files, else
    the one-line sources.list): a root is made from what the machine may reach."""
    for path in sorted(sources.glob("*.sources")) if sources.is_dir() else ():
        for stanza in path.read_text().split("\n\n"):
            fields = dict(line.split(":", 1) for line in stanza.splitlines()
                          if ":" in line and not line.lstrip().startswith("#"))
            if "deb" in fields.get("Types", "").split():
                for uri in fields.get("URIs", "").split():
                    if uri.rstrip("/").endswith("/debian"):
                        return uri
    if listing.is_file():
        for line in listing.read_text().splitlines():
            words = [word for word in line.split() if not word.startswith("[")]
            if words[:1] == ["deb"] and len(words) > 1 and words[1].rstrip("/").endswith("/debian"):
                return words[1]
    raise SystemExit("deploy-check: this machine's apt names no Debian archive "
                     f"(looked in {sources}/*.sources and {listing}): debootstrap needs one")


@dataclass(frozen=True)
class Base:
    name: str
    suite: str
    packages: tuple  # installed by debootstrap on top of minbase
    description: str


BASES = (
    Base("bookworm-python", "bookworm", ("python3", "python3-venv"), "Debian 12 with its python3 and python3-venv"),
    Base("trixie-python", "trixie", ("python3", "python3-venv"), "Debian 13 with its python3 and python3-venv"),
    Base("bookworm-bare", "bookworm", (), "Debian 12 minbase, no Python at all"),
)


class DeployError(Exception):
    """The check could not run here (not its verdict on the kit)."""


def require_tools():
    if os.geteuid() != 0:
        raise DeployError("the deployment check needs root (debootstrap, mount and chroot): run it with sudo")
    if shutil.which("debootstrap") is None:
        print("installing debootstrap (apt-get)")
        for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "debootstrap"]):
            if subprocess.run(command, capture_output=True).returncode != 0:
                raise DeployError("debootstrap is missing and apt-get could not install it")


def cached(base):
    """The pristine root for `base`, made once (a minute or two) and reused."""
    target = CACHE / base.name
    if target.is_dir():
        return target
    partial = CACHE / (base.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)  # left by an interrupted run: it holds no mounts
    partial.parent.mkdir(parents=True, exist_ok=True)
    command = ["debootstrap", "--variant=minbase"]
    if base.packages:
        command.append("--include=" + ",".join(base.packages))
    print(f"making the {base.name} root with debootstrap (once; cached in {CACHE})")
    made = subprocess.run(command + [base.suite, str(partial), mirror()], capture_output=True, text=True)
    if made.returncode != 0:
        raise DeployError(f"debootstrap {base.suite} failed: {made.stdout[-2000:]}{made.stderr[-2000:]}")
    partial.rename(target)
    return target


@contextlib.contextmanager
def throwaway(base):
    """A writable copy of the pristine root (an overlay), with /proc and /dev,
    removed afterwards. Yields its path."""
    lower = cached(base)
    work = Path(tempfile.mkdtemp(prefix=f"deploy-{base.name}-"))
    merged, upper, scratch = work / "root", work / "upper", work / "work"
    for folder in (merged, upper, scratch):
        folder.mkdir()
    mounts = []
    try:
        _mount(["-t", "overlay", "overlay", "-o", f"lowerdir={lower},upperdir={upper},workdir={scratch}", merged])
        mounts.append(merged)
        _mount(["-t", "proc", "proc", merged / "proc"])
        mounts.append(merged / "proc")
        _mount(["--rbind", "/dev", merged / "dev"])
        mounts.append(merged / "dev")
        shutil.copy("/etc/resolv.conf", merged / "etc" / "resolv.conf")  # apt and pip need names
        if os.environ.get("PIP_CERT"):
            shutil.copy(os.environ["PIP_CERT"], merged / CERTIFICATES.lstrip("/"))
        yield merged
    finally:
        for mount in reversed(mounts):
            subprocess.run(["umount", "-R", str(mount)], capture_output=True)
        still = [mount for mount in mounts if os.path.ismount(mount)]
        if still:  # never delete through a mount: /dev is the machine's own
            print(f"warning: could not unmount {', '.join(map(str, still))}; left {work} in place")
        else:
            shutil.rmtree(work)


def _mount(arguments):
    done = subprocess.run(["mount", *map(str, arguments)], capture_output=True, text=True)
    if done.returncode != 0:
        raise DeployError(f"mount {' '.join(map(str, arguments))} failed: {done.stderr.strip()}")


def run(root, command, timeout, cwd="/"):
    """Run `command` inside the root as root, with a clean environment."""
    return subprocess.run(["chroot", str(root), "/bin/sh", "-c", f'cd "{cwd}" && exec "$@"', "sh", *command],
                          env=_env(), capture_output=True, text=True, timeout=timeout)


def _env():
    env = dict(ENV, **{name: os.environ[name] for name in PROXIES if name in os.environ})
    if os.environ.get("PIP_CERT"):
        env["PIP_CERT"] = CERTIFICATES
    return env
