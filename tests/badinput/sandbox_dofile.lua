-- expect 3: global 'dofile'
-- trusted: ok
dofile("/dev/null")
