-- expect 4: global 'io'
-- trusted: ok
local name = "/dev/null"
local f = io.open(name, "w")
assert(f, "a writable file with --trust")
f:write("x")
f:close()
