-- expect 3: node name or number expected
lab.cluster{ zookeepers = 3 }
lab.kill({})
