# Four-letter words and hostile bytes against the lab's ports (serve.lua).
# Prints one "ok - ..." or "FAIL - ..." line per check.
import socket, struct, sys, time
from kazoo.client import KazooClient
base = int(sys.argv[1])
fails = 0

def say(ok, what):
    global fails
    print(("ok   - " if ok else "FAIL - ") + what)
    fails += 0 if ok else 1

def word(port, w, wait=5.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    s.sendall(w.encode())
    out = b""
    while True:
        try:
            b = s.recv(65536)
        except socket.timeout:
            break
        if not b:
            break
        out += b
    s.close()
    return out.decode(errors="replace")

def closed_by_lab(payload, wait=5.0, read=True):
    """Sends payload; True when the lab closes the connection (EOF or reset)."""
    s = socket.create_connection(("127.0.0.1", base), timeout=wait)
    try:
        s.sendall(payload)
        end = time.time() + wait
        while time.time() < end:
            b = s.recv(65536)
            if not b:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    finally:
        s.close()
    return False

# srvr, stat, mntr, ruok, conf, cons with the fields of a 3.8 server
modes = []
for i in range(3):
    out = word(base + i, "srvr")
    fields = [l.split(":")[0] for l in out.splitlines()]
    want = ["Zookeeper version", "Latency min/avg/max", "Received", "Sent",
            "Connections", "Outstanding", "Zxid", "Mode", "Node count"]
    say(fields[:9] == want, "srvr on zk%d has the 3.8 fields: %s" % (i + 1, out.splitlines()[7:8]))
    modes += [l.split(": ")[1] for l in out.splitlines() if l.startswith("Mode: ")]
say(sorted(modes) == ["follower", "follower", "leader"], "srvr: one leader, two followers: %s" % modes)
say(word(base, "ruok") == "imok", "ruok: imok")
mntr = dict(l.split("\t", 1) for l in word(base + 1, "mntr").splitlines() if "\t" in l)
say(mntr.get("zk_server_state") in ("leader", "follower") and "zk_znode_count" in mntr
    and "zk_num_alive_connections" in mntr, "mntr: zk_server_state %s, zk_znode_count %s"
    % (mntr.get("zk_server_state"), mntr.get("zk_znode_count")))
conf = word(base + 2, "conf")
say("clientPort=%d" % (base + 2) in conf and "tickTime=2000" in conf, "conf: clientPort and tickTime")
zk = KazooClient(hosts="127.0.0.1:%d" % base, timeout=6)
zk.start(timeout=20)
zk.create("/big", b"x" * 900000)
# watch notifications (xid -1, WatcherEvent): a data and a child watch
events = []
zk.exists("/wx", watch=lambda ev: events.append((ev.type, ev.path)))
zk.get_children("/", watch=lambda ev: events.append((ev.type, ev.path)))
zk.create("/wx", b"1")
end = time.time() + 5
while time.time() < end and len(events) < 2:
    time.sleep(0.05)
say(sorted(events) == [("CHILD", "/"), ("CREATED", "/wx")], "watch events: %s" % sorted(events))
cons = word(base, "cons")
say(",sid=0x" in cons and "lop=" in cons, "cons lists the session: %s" % cons.splitlines()[:1])
stat = word(base, "stat")
say(stat.splitlines()[1:2] == ["Clients:"], "stat lists its clients")

# hostile input: each closes that one connection, and the lab goes on
say(closed_by_lab(b"\xde\xad\xbe\xef" * 64), "garbage: connection closed")
say(closed_by_lab(struct.pack(">i", 0x7fffffff) + b"xxxx"), "a 2 GB length prefix: closed at once")
say(closed_by_lab(struct.pack(">i", 200) + b"\0" * 50 + b"", wait=12), "a packet cut mid-way: closed (sessionless timeout)")
# an unknown request type: UNIMPLEMENTED, then the connection closes
# (ZooKeeperServer.submitRequestNow: Request.isValid, UnimplementedRequestProcessor)
s = socket.create_connection(("127.0.0.1", base), timeout=5)
conn = struct.pack(">iqiq", 0, 0, 6000, 0) + struct.pack(">i", 16) + b"\0" * 16 + b"\0"
s.sendall(struct.pack(">i", len(conn)) + conn)
s.sendall(struct.pack(">iii", 8, 7, 77))
got = b""
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
except (ConnectionResetError, socket.timeout):
    pass
s.close()
hdr = struct.unpack(">iiqi", got[41:41 + 20]) if len(got) >= 61 else None
say(hdr is not None and hdr[1] == 7 and hdr[3] == -6 and len(got) == 61,
    "an unknown request type: UNIMPLEMENTED (-6), then closed: %s" % (hdr,))
# a thousand connections at once to zk2: 60 kept (maxClientCnxns), each
# of the others refused, while the kazoo session goes on undisturbed
import resource, select
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
states = []
zk.add_listener(lambda st: states.append(st))
many = []
for _ in range(1000):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", base + 1))
    many.append(s)
poller = select.poll()
for s in many:
    poller.register(s, select.POLLIN)
closed = set()
end = time.time() + 20
while time.time() < end and len(closed) < 940:
    for fd, ev in poller.poll(200):
        if fd not in closed:
            closed.add(fd)
            poller.unregister(fd)
t0 = time.time()
zk.exists("/big")
took = time.time() - t0
for s in many:
    s.close()
say(len(closed) >= 940 and not states and took < 2,
    "1000 connections at once: %d closed by the lab (60 kept, maxClientCnxns=60); kazoo "
    "undisturbed (states %s), answered in %.2f s" % (len(closed), states, took))
# a client that never reads: asks for the 900 KB znode again and again
s = socket.create_connection(("127.0.0.1", base), timeout=5)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
conn = struct.pack(">iqiq", 0, 0, 6000, 0) + struct.pack(">i", 16) + b"\0" * 16 + b"\0"
s.sendall(struct.pack(">i", len(conn)) + conn)
req = struct.pack(">ii", 1, 4) + struct.pack(">i", 4) + b"/big" + b"\0"
cut = False
try:
    for i in range(400):
        s.sendall(struct.pack(">i", len(req)) + req)
        time.sleep(0.01)
except (ConnectionResetError, BrokenPipeError):
    cut = True
if not cut:
    try:
        s.settimeout(3)
        while s.recv(1 << 20):
            pass
        cut = True
    except (ConnectionResetError, socket.timeout):
        cut = True
s.close()
say(cut, "a client that never reads: connection closed")
out = word(base, "srvr")
say("Mode: " in out, "after all that, srvr still answers")
say(zk.exists("/big") is not None, "and the kazoo session still works")

# a server without a quorum refuses clients and says so
zk.create("/isolate-zk1", b"")
end = time.time() + 25
out = ""
while time.time() < end:
    out = word(base, "srvr")
    if "not currently serving" in out:
        break
    time.sleep(0.5)
say("This ZooKeeper instance is not currently serving requests" in out,
    "zk1 cut off: 'not currently serving requests'")
zk.stop()
zk2 = KazooClient(hosts="127.0.0.1:%d" % (base + 1), timeout=6)
zk2.start(timeout=20)
zk2.create("/done", b"")
zk2.stop()
print("%d failed" % fails)
