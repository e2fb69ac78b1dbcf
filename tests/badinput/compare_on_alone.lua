-- expect 3: lab.on: no lab.compare{} worlds to choose from
lab.cluster{ zookeepers = 3 }
lab.on("right", function() return lab.now() end)
