-- lab.failover_plot (lua_plot.c): the failover chart a lesson says. The
-- bench's figures come from the data file beside the lessons (here named
-- from tests/scenarios/), the lesson's own from measured; a typo or a
-- missing file is an error, never an empty chart.
local bench = "../../lessons/failover_bench.tsv"
local t = lab.failover_plot{ bench = bench, measured = { partitions = 3, zk = 18.3, kraft = 9.1 } }
lab.check(t:find("100k", 1, true) and t:find("82.6", 1, true) and t:find("18.3", 1, true),
          "the bench's 100k bar (82.6 s) and the measured one (18.3 s) are drawn")
lab.check(t:find("█ █ measured in this lesson now", 1, true),
          "the measured bars are striped and the legend says so")
local only = lab.failover_plot{ bench = false, measured = { { partitions = 3, zk = 18 }, { partitions = 300, kraft = 9 } } }
lab.check(not only:find("make bench", 1, true) and only:find("300", 1, true),
          "bench = false: only what was measured, a mode may be missing")
local ok, err = pcall(lab.failover_plot, { bench = bench, mesured = {} })
lab.check(not ok and tostring(err):find("did you mean 'measured'", 1, true), "a typo is an error: " .. tostring(err))
ok, err = pcall(lab.failover_plot, { bench = "no_such.tsv" })
lab.check(not ok and tostring(err):find("no_such.tsv", 1, true), "a missing bench file is an error: " .. tostring(err))
ok, err = pcall(lab.failover_plot, { bench = bench, measured = { partitions = 3, zk = "x" } })
lab.check(not ok, "a bad number is an error: " .. tostring(err))
