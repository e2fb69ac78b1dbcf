-- expect 2: unclean.leader.election.enable must be true or false, not "yes"
lab.cluster{ zookeepers = 1, brokers = 1, config = { ["unclean.leader.election.enable"] = "yes" } }
