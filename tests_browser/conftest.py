"""What both browser journeys share: headless Chromium that reaches nothing but
this machine (and a check of every request it made), Jupyter servers on
localhost, and a folder for the screenshots (SCREENSHOTS=folder, or a
temporary one; the run prints where)."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
# Chromium's own traffic (updates, safe browsing, metrics, sync...) switched off, and any name but
# this machine's made unresolvable, so a page that wants the network fails visibly instead.
QUIET_CHROMIUM = ("--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                  "--disable-sync", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
                  "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication",
                  "--metrics-recording-only", "--no-first-run", "--no-pings",
                  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
LOCAL = ("http://127.0.0.1:", "ws://127.0.0.1:", "file:///", "data:", "blob:", "about:", "chrome:", "devtools:")
SERVER_START_SECONDS = 120


def tool_env(**extra):
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.update(extra)
    return env


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def jupyter(root_dir, *arguments, app="server", env=None):
    """A Jupyter server (or JupyterLab) on localhost, started in `root_dir`; yields its base URL."""
    port = free_port()
    log = (Path(root_dir) / f"jupyter-{port}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", app, "--no-browser", "--allow-root", f"--port={port}",
         # No token: the browser's API calls carry no login cookie, and the server listens on localhost only.
         "--ip=127.0.0.1", "--IdentityProvider.token=", f"--ServerApp.root_dir={root_dir}", *arguments],
        cwd=root_dir, env=env or tool_env(), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"Jupyter did not start; see {log.name}")
            time.sleep(0.5)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def screenshots():
    folder = Path(os.environ.get("SCREENSHOTS") or tempfile.mkdtemp(prefix="simple-nn-screenshots-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots in {folder}")
    return folder


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium; at the end, every request it made must have stayed on this machine."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.fail("this test needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                     *QUIET_CHROMIUM):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(20)
    driver.requested = []  # every URL asked for, from the performance log (read as it fills)
    yield driver
    read_requests(driver)
    driver.quit()
    away = sorted({url for url in driver.requested if not url.startswith(LOCAL)})
    assert not away, f"the browser reached beyond this machine: {away[:5]}"
    assert driver.requested, "no request was logged: the check of where the browser went checked nothing"


def read_requests(driver):
    """Move the requests logged since the last call into driver.requested."""
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            params = message["params"]
            driver.requested.append(params.get("request", {}).get("url") or params.get("url", ""))
