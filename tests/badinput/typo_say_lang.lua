-- expect 2: localized text: unknown language 'kr' (did you mean 'ko'?)
lab.say{ en = "hello", kr = "안녕" }
