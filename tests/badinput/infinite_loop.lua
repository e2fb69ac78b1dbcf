-- expect 3: no simulated time passing
lab.cluster{ zookeepers = 1 }
while true do end
