-- expect 3: number expected
lab.cluster{ zookeepers = 3 }
lab.run("soon")
