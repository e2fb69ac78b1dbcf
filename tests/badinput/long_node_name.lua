-- expect 3: unknown node 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz... (10000 bytes)'
lab.cluster{ zookeepers = 1 }
lab.kill(string.rep("z", 10000))
