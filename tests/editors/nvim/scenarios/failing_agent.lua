-- An agent that cannot be started (pytest configures a command that does not exist): the
-- start warns that it is not found (answered: start anyway), the runner reports exit code
-- 127, the session fails, and the person is told why, in the words of the server's
-- state.outcome.reason, in a notification and on the timeline.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local client = H.session({ execution_mode = 'auto' })
  H.answer(function()
    return 'start'
  end)
  local started = H.start('Orders')
  io.stdout:write('WARNED: ', tostring((H.asked[#H.asked] or {}).prompt), '\n')
  H.await('run', nil, 120000)
  local session = H.execute(client, 'codemyspec/getSession', { sessionId = started.id })
  H.check(session.status == 'failed', 'status ' .. session.status)
  local reason = session.state.outcome.reason
  H.check(type(reason) == 'string' and reason ~= '', 'no reason stored')
  io.stdout:write('REASON: ', reason, '\n')
  local codes = {}
  for _, it in ipairs(session.interactions) do
    if it.step == 'generate_context_design' then
      codes[#codes + 1] = it.result.code
    end
  end
  io.stdout:write('CODES: ', table.concat(codes, ' '), '\n')
  local told = vim.tbl_filter(function(n)
    return n:find(('is failed: %s'):format(reason), 1, true) ~= nil
  end, H.notes)
  H.check(#told == 1, 'the failure reason was told ' .. #told .. ' times: ' .. vim.inspect(H.notes))

  local _, text = H.timeline(started.id)
  H.check(text:find('- reason: ' .. reason, 1, true), 'timeline:\n' .. text)
  H.pass('failure told')
end)
