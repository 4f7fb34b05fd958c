#!/usr/bin/env python3
"""The Slurm array job of docs/cluster.md on a real single-node Slurm cluster.

Brings up munged, slurmctld and slurmd (Debian's slurm-wlm and munge, installed when missing)
in a private temporary directory, generates an archive from the test fixtures, and:

  A. submits wmscan-array.sh (taken verbatim from docs/cluster.md) as a 4-task array and
     wmscan-merge.sh behind it; the merged result must equal an unsharded local -j 2 run;
  B. runs the array again into an empty output directory, cancels one element while it is
     scanning, requeues it, and checks that nothing is lost and that no file finished before
     the cancel was scanned again (its cache entry keeps its inode and mtime);
  C. stops every daemon it started, also when a check failed, and checks that no process it
     started is left.

Prints the wall time of the array run against the local run and what it was spent on.
Exit 77 (ctest SKIP_RETURN_CODE) only when slurm-wlm/munge are missing and cannot be installed.

Environment: WMSCAN (the binary), WM_TEST_DATA_DIR (fixtures), WM_SOURCE_DIR (the repository).
"""
import ctypes
import glob
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

SKIP = 77
TASKS = 4
WMSCAN = os.path.abspath(os.environ.get("WMSCAN", "wmscan"))
TESTDATA = os.environ.get("WM_TEST_DATA_DIR", "")
SOURCE = os.environ.get("WM_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DAEMONS = ("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd")
CLIENTS = ("sbatch", "squeue", "scontrol", "scancel", "sinfo")
TERMINAL = ("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "BOOT_FAIL", "DEADLINE")


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def log(message):
    print(f"[slurm-test {time.strftime('%H:%M:%S')}] {message}", flush=True)


# ------------------------------------------------------------------ packages

def have_packages():
    return all(os.access(d, os.X_OK) for d in DAEMONS) and all(shutil.which(c) for c in CLIENTS)


def ensure_packages():
    """Installs slurm-wlm and munge from Debian when missing; False when that is impossible."""
    if have_packages():
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        log("SKIP: slurm-wlm/munge are not installed and this is not a root Debian system to install them")
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    for cmd in (["apt-get", *lock, "update", "-qq"],
                ["apt-get", *lock, "install", "-y", "-qq", "--no-install-recommends", "slurm-wlm", "munge"]):
        log("installing: " + " ".join(cmd))
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            log(f"SKIP: `{' '.join(cmd)}` failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
            return False
    if not have_packages():
        log("SKIP: slurm-wlm/munge installed but the daemons or clients are still missing")
        return False
    return True


# ------------------------------------------------------------------ the cluster

_libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def die_with_parent():
    """In the child before exec: get SIGTERM when the test dies, even by SIGKILL."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port():
    with socket.socket() as s:
        s.bind(("", 0))
        return s.getsockname()[1]


class Cluster:
    """munged + slurmctld + slurmd in the foreground, as children of this process."""

    def __init__(self, root):
        self.root = root
        self.host = socket.gethostname().split(".")[0]
        self.procs = {}  # name -> Popen
        self.marker = "WM_SLURM_TEST_ROOT=" + root
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}
        self.env["SLURM_CONF"] = os.path.join(root, "slurm.conf")
        self.env["WM_SLURM_TEST_ROOT"] = root  # every process of ours carries it: the leftover check

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def write_config(self):
        munge_user = pwd.getpwnam("munge")
        os.chmod(self.root, 0o711)  # munged (user munge) must reach its own directory
        for d in ("state", "spool", "log", "munge"):
            os.makedirs(self.path(d), exist_ok=True)
        os.chown(self.path("munge"), munge_user.pw_uid, munge_user.pw_gid)
        os.chmod(self.path("munge"), 0o711)
        key = self.path("munge", "munge.key")
        fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(1024))
        os.chown(key, munge_user.pw_uid, munge_user.pw_gid)

        node = subprocess.run(["/usr/sbin/slurmd", "-C"], capture_output=True, text=True, check=True).stdout
        node_line = next(l for l in node.splitlines() if l.startswith("NodeName="))
        node_line = re.sub(r"^NodeName=\S+", f"NodeName={self.host} NodeAddr=127.0.0.1", node_line)
        ctld_port, slurmd_port = free_port(), free_port()
        while slurmd_port == ctld_port:
            slurmd_port = free_port()
        conf = f"""\
ClusterName=wmtest
SlurmctldHost={self.host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={self.path("munge", "munge.socket")}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
StateSaveLocation={self.path("state")}
SlurmdSpoolDir={self.path("spool")}
SlurmctldPidFile={self.path("slurmctld.pid")}
SlurmdPidFile={self.path("slurmd.pid")}
SlurmctldLogFile={self.path("log", "slurmctld.log")}
SlurmdLogFile={self.path("log", "slurmd.log")}
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
{node_line} State=UNKNOWN
PartitionName=wm Nodes={self.host} Default=YES MaxTime=INFINITE State=UP
"""
        with open(self.env["SLURM_CONF"], "w") as f:
            f.write(conf)
        log(f"slurm.conf: node {node_line}; ports {ctld_port}/{slurmd_port}")

    def spawn(self, name, argv, user=None):
        out = open(self.path("log", name + ".out"), "wb")

        def preexec():
            if user:
                os.setgroups([])
                os.setgid(user.pw_gid)
                os.setuid(user.pw_uid)
            die_with_parent()  # after setuid: a change of credentials clears it

        self.procs[name] = subprocess.Popen(argv, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, preexec_fn=preexec, cwd=self.root)
        out.close()

    def start(self):
        self.write_config()
        m = self.path("munge")
        self.spawn("munged", ["/usr/sbin/munged", "--force", "--foreground", f"--socket={m}/munge.socket",
                              f"--key-file={m}/munge.key", f"--pid-file={m}/munged.pid",
                              f"--seed-file={m}/munged.seed", f"--log-file={m}/munged.log"],
                   user=pwd.getpwnam("munge"))
        self.wait_for(lambda: os.path.exists(f"{m}/munge.socket"), 20, "munged socket")
        self.spawn("slurmctld", ["/usr/sbin/slurmctld", "-D", "-i"])
        self.wait_for(lambda: self.client(["scontrol", "ping"], check=False).returncode == 0, 30, "slurmctld")
        self.spawn("slurmd", ["/usr/sbin/slurmd", "-D"])
        self.wait_for(lambda: self.node_state() == "idle", 60, f"node {self.host} idle")
        log(f"cluster up: node {self.host} idle")

    def wait_for(self, predicate, timeout_s, what):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for name, p in self.procs.items():
                check(p.poll() is None, f"{name} exited with {p.returncode} while waiting for {what}")
            if predicate():
                return
            time.sleep(0.2)
        raise Failure(f"timed out after {timeout_s} s waiting for {what}")

    def client(self, argv, check=True):
        proc = subprocess.run(argv, env=self.env, capture_output=True, text=True, cwd=self.root, timeout=60)
        if check and proc.returncode != 0:
            raise Failure(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.strip()}")
        return proc

    def node_state(self):
        proc = self.client(["sinfo", "-h", "-N", "-n", self.host, "-o", "%T"], check=False)
        return proc.stdout.strip().rstrip("*") if proc.returncode == 0 else ""

    def tasks(self, job):
        """{array index: state} of every element of an array job, finished ones included."""
        out = self.client(["squeue", "-h", "-r", "-t", "all", "-j", str(job), "-o", "%K %T"], check=False).stdout
        states = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0].isdigit():
                states[int(parts[0])] = parts[1]
        return states

    def job_state(self, job_id):
        out = self.client(["scontrol", "-o", "show", "job", str(job_id)], check=False).stdout
        m = re.search(r"JobState=(\S+)", out)
        return m.group(1) if m else ""

    def stop(self):
        """Cancels our jobs, stops slurmd, slurmctld, munged; returns the problems found."""
        problems = []
        if "slurmctld" in self.procs and self.procs["slurmctld"].poll() is None:
            self.client(["scancel", "--full", "--user", "root"], check=False)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                out = self.client(["squeue", "-h", "-o", "%i"], check=False)
                if out.returncode != 0 or not out.stdout.strip():
                    break
                time.sleep(0.2)
        for name in ("slurmd", "slurmctld", "munged"):
            p = self.procs.get(name)
            if p is None or p.poll() is not None:
                continue
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                problems.append(f"{name} ignored SIGTERM; killed")
                p.kill()
                p.wait()
        # Anything still carrying our marker (slurmstepd, job scripts, wmscan) is a leftover.
        deadline = time.monotonic() + 15  # a slurmstepd may still be finishing its job
        while self.marked_processes() and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in self.marked_processes():
            problems.append(f"left over: pid {pid} {self.cmdline(pid)}")
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for name, p in self.procs.items():
            if p.poll() is None:
                problems.append(f"{name} (pid {p.pid}) still running")
        return problems

    def marked_processes(self):
        needle = self.marker.encode()
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if needle in f.read().split(b"\0"):
                        found.append(int(entry))
            except OSError:
                pass
        return found

    @staticmethod
    def cmdline(pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            return "?"

    def dump_logs(self):
        for path in sorted(glob.glob(self.path("log", "*")) + glob.glob(self.path("munge", "*.log")) +
                           glob.glob(self.path("out*", "slurm-*.log"))):
            try:
                with open(path, errors="replace") as f:
                    tail = f.read()[-3000:]
            except OSError:
                continue
            print(f"----- {path} (tail)\n{tail}", flush=True)


# ------------------------------------------------------------------ archive and scripts

GOOD = ["clean.mp4", "clean.mov", "clean.mkv", "clean.m4a", "clean.wav", "clean.mp3", "meta.mp4",
        "meta_moov_last.mp4", "meta.mov", "meta.m4a", "meta.mkv", "meta.wav", "meta.mp3"]
BAD = ["bad/empty.mp4", "bad/random.mp4", "bad/truncated.mp4", "bad/truncated_head.mp4",
       "bad/garbage_id3.mp3", "bad/lying_chunk.wav"]
COPIES = 234  # + 6 damaged files + 2 in the Zoom folder = 242 media files


def make_archive(root):
    """Nested folders of fixture copies, a few damaged files, a Zoom export, non-media files."""
    for i in range(COPIES):
        src = GOOD[i % len(GOOD)]
        sub = os.path.join(root, f"box{i % 5}", f"reel{i % 4}")
        os.makedirs(sub, exist_ok=True)
        shutil.copy(os.path.join(TESTDATA, src), os.path.join(sub, f"t{i:04d}_{src}"))
    os.makedirs(os.path.join(root, "damaged"))
    for src in BAD:
        shutil.copy(os.path.join(TESTDATA, src), os.path.join(root, "damaged", os.path.basename(src)))
    shutil.copytree(os.path.join(TESTDATA, "zoom"), os.path.join(root, "zoom"))
    with open(os.path.join(root, "README.txt"), "w") as f:
        f.write("not media\n")


def doc_script(name):
    """The ```sh block of docs/cluster.md that names itself `# file: NAME`."""
    with open(os.path.join(SOURCE, "docs", "cluster.md")) as f:
        text = f.read()
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        if re.search(rf"^# file: {re.escape(name)}\b", block, re.M):
            return block
    raise Failure(f"docs/cluster.md has no ```sh block marked '# file: {name}'")


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def by_path(records):
    out = {}
    for r in records:
        check(r["path"] not in out, f"{r['path']} appears twice")
        out[r["path"]] = json.dumps(r, sort_keys=True)
    return out


def compare(merged, reference, what):
    got, want = by_path(merged), by_path(reference)
    missing, extra = sorted(want.keys() - got.keys()), sorted(got.keys() - want.keys())
    check(not missing and not extra, f"{what}: missing {missing[:5]} ({len(missing)}), extra {extra[:5]} ({len(extra)})")
    differ = [p for p in want if got[p] != want[p]]
    if differ:
        p = differ[0]
        raise Failure(f"{what}: {len(differ)} records differ from the local run, e.g. {p}:\n"
                      f"  slurm: {got[p][:600]}\n  local: {want[p][:600]}")


def cache_entries(cache_dir):
    """{path in the record: (inode, mtime_ns)} of every finished cache entry."""
    entries = {}
    for entry in glob.glob(os.path.join(cache_dir, "v1", "*", "*.json")):
        st = os.stat(entry)
        with open(entry) as f:
            path = json.loads(f.readline())["path"]
        check(path not in entries, f"two cache entries for {path}")
        entries[path] = (st.st_ino, st.st_mtime_ns)
    return entries


def count_lines(path):
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n")
    except OSError:
        return -1


# ------------------------------------------------------------------ the test

class ArrayRun:
    """One submission of wmscan-array.sh; polls squeue and the output files for a timeline."""

    def __init__(self, cluster, root, archive, name):
        self.cluster, self.archive = cluster, archive
        self.out = os.path.join(root, name)
        os.makedirs(self.out)
        self.env = dict(cluster.env, WMSCAN=WMSCAN, ARCHIVE=archive, OUT=self.out)
        self.times = {i: {} for i in range(TASKS)}

    def submit(self, script):
        self.t_submit = time.monotonic()
        proc = subprocess.run(["sbatch", "--parsable", f"--output={self.out}/slurm-%A_%a.log", "--cpus-per-task=1",
                               "--mem=1G", script], env=self.env, capture_output=True, text=True, cwd=self.out,
                              timeout=60)
        check(proc.returncode == 0, f"sbatch failed: {proc.stderr}")
        self.job = int(proc.stdout.strip().split(";")[0])
        log(f"submitted array job {self.job} ({TASKS} tasks) into {self.out}")
        return self.job

    def part(self, i):
        return os.path.join(self.out, f"shard-{i}.jsonl")

    def poll(self):
        now = time.monotonic()
        states = self.cluster.tasks(self.job)
        for i in range(TASKS):
            t = self.times[i]
            state = states.get(i, "")
            # Each step implies the ones before it (a short task may pass several between polls).
            steps = [state in ("RUNNING", "COMPLETING"), os.path.exists(self.part(i) + ".tmp"),
                     os.path.exists(self.part(i)), state in TERMINAL]
            for k, name in enumerate(("running", "opened", "written", "gone")):
                if any(steps[k:]):
                    t.setdefault(name, now)
        return states

    def wait(self, timeout_s, until=None):
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            states = self.poll()
            if until is not None and until(states):
                return states
            if until is None and len(states) == TASKS and all(s in TERMINAL for s in states.values()):
                self.t_done = time.monotonic()
                return states
            time.sleep(0.05)
        raise Failure(f"array job {self.job} not done after {timeout_s} s: {self.cluster.tasks(self.job)}")

    def breakdown(self):
        """Seconds spent waiting for a slot, starting a task, scanning, and finishing it."""
        slots = [self.t_submit, self.t_submit]  # two 1-CPU tasks at a time on the 2-core node
        wait = start = scan = finish = 0.0
        for i in sorted(range(TASKS), key=lambda i: self.times[i]["running"]):
            t = self.times[i]
            free = min(slots)
            slots[slots.index(free)] = t["gone"]
            wait += max(0.0, t["running"] - free)
            start += t["opened"] - t["running"]
            scan += t["written"] - t["opened"]
            finish += t["gone"] - t["written"]
        return {"scheduling (waiting for a slot)": wait, "task start-up (until wmscan opened its output)": start,
                "scanning": scan, "task end (until Slurm marks it done)": finish}


def run_test(cluster, root):
    archive = os.path.join(root, "archive")
    make_archive(archive)
    scripts = {}
    for name in ("wmscan-array.sh", "wmscan-merge.sh"):
        scripts[name] = os.path.join(root, name)
        with open(scripts[name], "w") as f:
            f.write(doc_script(name))
    check("#SBATCH --array=0-3" in doc_script("wmscan-array.sh"), "the documented array is not 0-3")

    # The reference: one unsharded local run.
    local_env = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_") and k != "JOB_COMPLETION_INDEX"}
    t0 = time.monotonic()
    proc = subprocess.run([WMSCAN, "scan", "-r", "-j", "2", "--progress", "none", "--fail-on", "none", "--format",
                           "jsonl", "-o", os.path.join(root, "local.jsonl"), archive], env=local_env,
                          capture_output=True, text=True, timeout=600)
    t_local = time.monotonic() - t0
    check(proc.returncode == 3, f"local run: exit {proc.returncode} (3 expected: damaged files), {proc.stderr[-1000:]}")
    reference = read_jsonl(os.path.join(root, "local.jsonl"))
    statuses = {}
    for r in reference:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    with_findings = sum(1 for r in reference if r["findings"])
    log(f"archive: {len(reference)} media files, statuses {statuses}, {with_findings} with findings; "
        f"local -j 2 run {t_local:.1f} s")
    check(len(reference) >= 200, f"only {len(reference)} files in the archive")
    check(with_findings > 0 and statuses.get("scanned", 0) > with_findings, "the archive needs clean and marked files")
    check(statuses.get("error", 0) + statuses.get("partial", 0) > 0, "the archive needs damaged files")

    cluster.start()

    # ---- A: the documented array, the merge job behind it
    a = ArrayRun(cluster, root, archive, "out-a")
    job = a.submit(scripts["wmscan-array.sh"])
    merge = subprocess.run(["sbatch", "--parsable", f"--dependency=afterok:{job}",
                            f"--output={a.out}/slurm-merge-%j.log", scripts["wmscan-merge.sh"]], env=a.env,
                           capture_output=True, text=True, cwd=a.out, timeout=60)
    check(merge.returncode == 0, f"sbatch of the merge job failed: {merge.stderr}")
    merge_job = int(merge.stdout.strip().split(";")[0])
    states = a.wait(300)
    check(all(s == "COMPLETED" for s in states.values()), f"array tasks did not all complete: {states}")
    t_array = a.t_done - a.t_submit
    deadline = time.monotonic() + 120
    while cluster.job_state(merge_job) not in ("COMPLETED", "FAILED", "CANCELLED") and time.monotonic() < deadline:
        time.sleep(0.1)
    t_merged = time.monotonic() - a.t_submit
    check(cluster.job_state(merge_job) == "COMPLETED", f"merge job {merge_job}: {cluster.job_state(merge_job)}")
    shard_sizes = [len(read_jsonl(a.part(i))) for i in range(TASKS)]
    check(sum(shard_sizes) == len(reference) and all(shard_sizes), f"shard sizes {shard_sizes}")
    merged = subprocess.run([WMSCAN, "merge", "--fail-on", "none", "--format", "jsonl",
                             *[a.part(i) for i in range(TASKS)]], capture_output=True, text=True, timeout=120)
    check(merged.returncode == 3, f"merge exit {merged.returncode}: {merged.stderr}")
    compare([json.loads(l) for l in merged.stdout.splitlines() if l.strip()], reference, "array run")
    with open(os.path.join(a.out, "report.sarif")) as f:
        sarif = json.load(f)
    sarif_results = sum(len(run.get("results", [])) for run in sarif["runs"])
    check(sarif_results > 0, "the merged SARIF has no results")
    with open(os.path.join(a.out, "report.html")) as f:
        check("<html" in f.read(1 << 20).lower(), "the merged HTML is not HTML")
    log(f"A: array of {TASKS} done in {t_array:.1f} s (merge job done at {t_merged:.1f} s); shards {shard_sizes}; "
        f"merged JSONL equals the local run; SARIF {sarif_results} results")

    # ---- B: cancel one task mid-run, requeue it
    victim = 0
    b = ArrayRun(cluster, root, archive, "out-b")
    job_b = b.submit(scripts["wmscan-array.sh"])
    victim_tmp = b.part(victim) + ".tmp"
    b.wait(300, until=lambda s: s.get(victim) == "RUNNING" and count_lines(victim_tmp) >= 3)
    cluster.client(["scancel", f"{job_b}_{victim}"])
    lines_at_cancel = count_lines(victim_tmp)
    b.wait(120, until=lambda s: s.get(victim) not in ("RUNNING", "COMPLETING"))
    state = cluster.tasks(job_b).get(victim)
    check(state == "CANCELLED", f"task {victim} is {state}, not CANCELLED: the cancel came too late")
    check(not os.path.exists(b.part(victim)), "a cancelled task must not leave a finished shard file")
    before = cache_entries(os.path.join(b.out, "cache"))
    victim_files = {r["path"] for r in read_jsonl(a.part(victim))}
    done_before = victim_files & before.keys()
    log(f"B: cancelled task {victim} after {lines_at_cancel} lines; the cache holds {len(done_before)} of its "
        f"{len(victim_files)} files")
    check(0 < len(done_before) < len(victim_files),
          f"task {victim}, cancelled after {lines_at_cancel} JSONL lines, has {len(done_before)} of its "
          f"{len(victim_files)} files in the cache: some but not all were expected")
    cluster.client(["scontrol", "requeue", f"{job_b}_{victim}"])
    cluster.client(["scontrol", "update", f"JobId={job_b}_{victim}", "StartTime=now"])
    b.wait(300, until=lambda s: os.path.exists(b.part(victim)) and all(
        v in ("COMPLETED",) for v in s.values()) and len(s) == TASKS)
    proc = subprocess.run(["bash", scripts["wmscan-merge.sh"]], env=b.env, capture_output=True, text=True,
                          timeout=300)
    check(proc.returncode == 0, f"wmscan-merge.sh by hand: exit {proc.returncode}: {proc.stderr[-1000:]}")
    merged = subprocess.run([WMSCAN, "merge", "--fail-on", "none", "--format", "jsonl",
                             *[b.part(i) for i in range(TASKS)]], capture_output=True, text=True, timeout=120)
    compare([json.loads(l) for l in merged.stdout.splitlines() if l.strip()], reference, "cancelled+requeued run")
    after = cache_entries(os.path.join(b.out, "cache"))
    rewritten = sorted(p for p in before if after.get(p) != before[p])
    check(not rewritten, f"{len(rewritten)} files finished before the cancel were scanned again, e.g. {rewritten[:3]}")
    cacheable = {r["path"] for r in reference if r["status"] in ("scanned", "unsupported")}
    check(cacheable <= after.keys(), f"not in the cache after the requeue: {sorted(cacheable - after.keys())[:5]}")
    check(after.keys() <= {r["path"] for r in reference}, "the cache holds files that are not in the archive")
    log(f"B: requeued task {victim} finished; merged result equals the local run; the {len(before)} cache entries "
        f"written before the cancel are untouched; the cache holds {len(after)} entries")

    # ---- the figures
    parts = a.breakdown()
    total = sum(parts.values())
    print("\n==== wall time on this machine (%d cores, wmscan %s)" % (os.cpu_count(), WMSCAN))
    print(f"local unsharded `wmscan scan -r -j 2`: {t_local:6.1f} s for {len(reference)} files")
    print(f"Slurm array of {TASKS} tasks (2 at a time, -j 1 each), sbatch to last task done: {t_array:6.1f} s "
          f"(+ merge job: {t_merged:.1f} s)")
    print(f"task-seconds over the 2 slots ({total:.1f} s in all):")
    for k, v in parts.items():
        print(f"  {k:<48} {v:6.1f} s  ({100 * v / total if total else 0:3.0f} %)")
    for i in range(TASKS):
        t = a.times[i]
        print(f"  task {i}: {shard_sizes[i]} files, queued {t['running'] - a.t_submit:5.2f} s, "
              f"start-up {t['opened'] - t['running']:5.2f} s, scan {t['written'] - t['opened']:5.2f} s, "
              f"end {t['gone'] - t['written']:5.2f} s")
    print(f"dominated by: {max(parts, key=parts.get)}\n", flush=True)


def main():
    if not ensure_packages():
        return SKIP
    check(os.path.isfile(os.path.join(TESTDATA, "meta.mp4")), f"no fixtures in WM_TEST_DATA_DIR={TESTDATA!r}")

    def on_signal(signum, _frame):
        raise SystemExit(f"signal {signum}")

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)
    root = tempfile.mkdtemp(prefix="wm-slurm-", dir="/tmp")  # short: the munge socket path is limited
    cluster = Cluster(root)
    failed = True
    try:
        run_test(cluster, root)
        failed = False
    except Failure as e:
        print(f"FAIL: {e}", flush=True)
    except Exception:
        traceback.print_exc()
        sys.stdout.flush()
    finally:
        problems = cluster.stop()
        for p in problems:
            print(f"FAIL: {p}", flush=True)
        if failed or problems:
            cluster.dump_logs()
        else:
            log("all daemons stopped, no process left")
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
