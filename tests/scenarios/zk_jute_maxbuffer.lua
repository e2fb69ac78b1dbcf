-- jute.maxbuffer (0xfffff bytes by default, BinaryInputArchive.maxBuffer)
-- bounds every packet, not the znode's data alone. A server reads a
-- client's request length first and closes the connection when it is
-- over (NIOServerCnxn.readLength, "Len error"): the create or setData
-- fails with CONNECTIONLOSS, nothing is applied, the session reconnects
-- and lives on. A create's length is its header (8), path (4 + len), data
-- (4 + len), the open ACL (27) and flags (4): 47 + path + data bytes. The
-- client checks replies the same way (ClientCnxnSocket.readLength,
-- "Packet len is out of range"): a getData reply is 16 + 4 + data + 68
-- bytes, so a znode written right at the limit cannot be read back.
lab.cluster{ zookeepers = 3 }
lab.run_until(function() return lab.ensemble().serving end, 30000)
local s = lab.zk_session{}
lab.run_until(function() return s:state() == "CONNECTED" end, 30000)
local id = s:id()
local max = 0xfffff
local fits = string.rep("x", max - 47 - #"/big")
lab.check(s:create("/big", fits) == "/big", "a create of exactly jute.maxbuffer bytes is taken")
lab.check(s:exists("/big").data_length == #fits, "and its data is all there")
local ok, err = s:get("/big")
lab.check(ok == nil and err == "CONNECTIONLOSS",
          "reading it back: the reply is 37 bytes over the client's limit (" .. tostring(err) .. ")")
lab.run_until(function() return s:state() == "CONNECTED" end, 30000)
ok, err = s:create("/big2", fits)           -- one byte more of path
lab.check(ok == nil and err == "CONNECTIONLOSS",
          "a create one byte over: the server closes the connection (" .. tostring(err) .. ")")
lab.run_until(function() return s:state() == "CONNECTED" end, 30000)
lab.check(s:id() == id, "the session reconnects and lives on")
lab.check(select(2, s:exists("/big2")) == "NONODE", "nothing was created")
ok, err = s:set("/big", string.rep("y", 2 * max))
lab.check(ok == nil and err == "CONNECTIONLOSS", "a 2 MB setData: CONNECTIONLOSS too")
lab.run_until(function() return s:state() == "CONNECTED" end, 30000)
lab.check(s:exists("/big").version == 0, "the data was not changed")
local mb = string.rep("z", 1000000)
lab.check(s:set("/big", mb).version == 1, "a 1,000,000-byte write goes through afterwards")
lab.check(s:get("/big") == mb, "and reads back whole")
