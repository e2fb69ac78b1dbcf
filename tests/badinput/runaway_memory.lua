-- expect 4: not enough memory
lab.cluster{ zookeepers = 1 }
local t, mb = {}, ("x"):rep(1 << 20)
for i = 1, 1e6 do t[i] = mb .. i end
