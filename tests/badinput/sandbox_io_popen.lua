-- expect 3: global 'io'
-- trusted: ok
local p = io.popen("echo hi")
assert(p:read("l") == "hi")
p:close()
