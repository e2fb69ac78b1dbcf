# Real ZooKeeper client (python3-kazoo) for expire.lua: connected to zk1
# only with the shortest session (4 s); the lab isolates zk1 past it, and
# the client must be told its session expired (KazooState.LOST).
import sys, time
from kazoo.client import KazooClient, KazooState
base = int(sys.argv[1])
states = []
zk = KazooClient(hosts="127.0.0.1:%d" % base, timeout=4)
zk.add_listener(lambda st: states.append(st))
zk.start(timeout=20)
zk.create("/eph2", b"", ephemeral=True)
zk.create("/where2", b"zk1")
deadline = time.time() + 60
while time.time() < deadline and KazooState.LOST not in states:
    time.sleep(0.05)
lost = KazooState.LOST in states
print("states: %s" % ",".join(str(s) for s in states))
if lost:
    # kazoo starts a new session by itself: tell the lab through it
    while time.time() < deadline and not zk.connected:
        time.sleep(0.05)
    if zk.connected:
        zk.create("/expired", b"")
zk.stop()
print("PASS" if lost else "FAIL")
