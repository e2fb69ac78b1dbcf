-- expect 4: global 'package'
-- trusted: ok
-- a C library loaded into the process: what require of a C module does
local ok = package.loadlib("libc.so.6", "*")
assert(ok, "C libraries load with --trust")
