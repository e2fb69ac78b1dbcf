-- expect 3: global 'loadfile'
-- trusted: ok
local chunk = loadfile("/dev/null")
assert(chunk)
