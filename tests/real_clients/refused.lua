-- A crashed node's ports refuse connections, as a dead ZooKeeper or Kafka
-- JVM's do (no process listens: the kernel answers RST to the SYN, the
-- client sees ECONNREFUSED); a paused node's still accept (its kernel
-- does) but it answers nothing; a restarted node's accept again. The
-- shell side (real_clients.sh, case refused) probes with nc, kcat and a
-- Python socket while this script holds each state for a while.
lab.cluster{ zookeepers = 3, brokers = 3 }
lab.wait_brokers()
lab.run(4000)                   -- all up: the shell sees zk3 answer srvr
lab.kill("zk3")
lab.kill(103)
lab.pause("zk2")
lab.run(10000)                  -- the shell probes the dead and the paused
lab.check(lab.status("zk3") == "DOWN" and lab.status(103) == "DOWN" and lab.status("zk2") == "PAUSED",
          "zk3 and broker 103 were down, zk2 paused, while the real clients probed them")
lab.restart("zk3")
lab.restart(103)
lab.resume("zk2")
lab.run(10000)                  -- the shell sees zk3 answer again
lab.check(lab.status("zk3") == "UP" and lab.status(103) == "UP", "zk3 and broker 103 are back")
