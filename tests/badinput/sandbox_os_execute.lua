-- expect 3: global 'os'
-- trusted: ok
os.execute("true")
