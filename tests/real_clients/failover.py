# Real ZooKeeper client (python3-kazoo) for failover.lua: an ephemeral
# znode, then waits for the lab to kill its server and checks that the
# session moved to another server with the znode kept.
import sys, time
from kazoo.client import KazooClient, KazooState
base = int(sys.argv[1])
hosts = ",".join("127.0.0.1:%d" % (base + i) for i in range(3))
states = []
zk = KazooClient(hosts=hosts, timeout=6)
zk.add_listener(lambda st: states.append(st))
zk.start(timeout=20)
def server():
    return zk._connection._socket.getpeername()[1] - base + 1
sid = zk.client_id[0]
zk.create("/eph", b"mine", ephemeral=True)
first = server()
zk.create("/where", ("zk%d" % first).encode())
deadline = time.time() + 30
while time.time() < deadline and KazooState.SUSPENDED not in states:
    time.sleep(0.05)
while time.time() < deadline and not (zk.connected and states and states[-1] == KazooState.CONNECTED):
    time.sleep(0.05)
second = server() if zk.connected else 0
kept = zk.connected and zk.exists("/eph") is not None
print("suspended: %s, reconnected: zk%d -> zk%d, same session: %s, /eph kept: %s"
      % (KazooState.SUSPENDED in states, first, second, zk.client_id[0] == sid, kept))
ok = KazooState.SUSPENDED in states and second not in (0, first) and zk.client_id[0] == sid and kept
zk.create("/moved", b"")
time.sleep(2)                   # the lab checks /eph meanwhile
zk.stop()
print("PASS" if ok else "FAIL")
