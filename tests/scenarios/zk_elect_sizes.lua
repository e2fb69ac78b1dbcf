-- Elections in ensembles of 1, 3, 4, 5 and 7 servers. With equal (empty)
-- logs the highest server id must lead, in epoch 1, with everyone else
-- following, and the quorum must be a strict majority.
for _, n in ipairs({ 1, 3, 4, 5, 7 }) do
  lab.cluster{ zookeepers = n, seed = 10 + n }
  local ok = lab.run_until(function() return lab.ensemble().serving end, 30000)
  lab.check(ok, n .. " servers: a leader serves within 30 s")
  local e = lab.ensemble()
  lab.check(e.size == n and e.quorum == n // 2 + 1,
            n .. " servers: quorum is " .. (n // 2 + 1) .. " (got " .. e.quorum .. ")")
  lab.check(e.leader == "zk" .. n,
            n .. " servers: the highest id leads (got " .. tostring(e.leader) .. ")")
  lab.check(e.epoch == 1, n .. " servers: first epoch is 1 (got " .. e.epoch .. ")")
  -- let the followers finish syncing, then look at every server
  lab.run(2000)
  local followers = 0
  for _, s in ipairs(lab.ensemble().servers) do
    if s.state == "FOLLOWING" then followers = followers + 1 end
  end
  lab.check(followers == n - 1, n .. " servers: " .. (n - 1) .. " follow (got " .. followers .. ")")
end
