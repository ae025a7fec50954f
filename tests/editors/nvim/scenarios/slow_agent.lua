-- An agent that never finishes (pytest configures it): with CMS_TEST_CANCEL the person
-- cancels the session while it runs, and the agent is stopped; otherwise the command's
-- timeoutMs stops every attempt and the session fails after its attempts.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local client = H.session({ execution_mode = 'auto' })
  local state = require('codemyspec.state')
  local runner = require('codemyspec.runner')

  local started = H.start('Orders')
  local id = started.id

  local finished
  require('codemyspec').run(nil, function(err, outcome)
    finished = { err = err, outcome = outcome }
  end)

  if os.getenv('CMS_TEST_CANCEL') then
    H.wait(30000, function()
      return state.running ~= nil and state.running.step == 'generate_context_design'
        and runner.current ~= nil
    end, 'the agent to run')
    vim.cmd('CodeMySpec cancel')
    H.wait(30000, function()
      return finished ~= nil
    end, 'the run to stop after cancel')
    H.check(runner.current == nil, 'the agent still runs')
    local session = H.execute(client, 'codemyspec/getSession', { sessionId = id })
    H.check(session.status == 'cancelled', 'status ' .. session.status)
    io.stdout:write('STATUS: ', session.status, '\n')
    return H.pass('cancelled')
  end

  H.wait(120000, function()
    return finished ~= nil
  end, 'the run to end')
  local session = H.execute(client, 'codemyspec/getSession', { sessionId = id })
  local timeouts = 0
  for _, it in ipairs(session.interactions) do
    local r = it.result
    if r and r ~= vim.NIL and type(r.errorMessage) == 'string' and r.errorMessage:find('timed out') then
      timeouts = timeouts + 1
    end
  end
  io.stdout:write('STATUS: ', session.status, '\nTIMEOUTS: ', timeouts, '\n')
  H.check(session.status == 'failed', 'status ' .. session.status)
  H.pass('timed out')
end)
