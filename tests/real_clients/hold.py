# Real client (python3-kazoo) for real_dashboard.sh: an ephemeral znode,
# then waits (bounded) for the learner to kill its server on the dashboard
# and prints where the session went and whether the znode stayed.
import sys, time
from kazoo.client import KazooClient, KazooState
base = int(sys.argv[1])
states = []
zk = KazooClient(hosts=",".join("127.0.0.1:%d" % (base + i) for i in range(3)), timeout=6)
zk.add_listener(lambda st: states.append(st))
zk.start(timeout=20)
server = lambda: zk._connection._socket.getpeername()[1] - base + 1
zk.create("/hello", b"x", ephemeral=True)
first = server()
print("on zk%d" % first, flush=True)
end = time.time() + 40
while time.time() < end and KazooState.SUSPENDED not in states:
    time.sleep(0.05)
while time.time() < end and not (zk.connected and states[-1] == KazooState.CONNECTED):
    time.sleep(0.05)
if zk.connected:
    # kazoo may drop a fresh connection once more (CONNECTIONLOSS): retried
    # as an application does, with kazoo's own retry
    kept = zk.retry(zk.exists, "/hello") is not None
    print("moved zk%d -> zk%d, /hello kept: %s" % (first, server(), kept), flush=True)
zk.stop()
