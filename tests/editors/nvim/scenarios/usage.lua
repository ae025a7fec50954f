-- A whole session with the claude preset, run by a fake `claude` on PATH that writes the
-- design as the replay agent does and prints a recorded Claude Code stream-json output: the
-- agent window shows readable text, never raw JSON, and the timeline shows the usage the
-- server read, per agent step and summed for the session (printed for pytest).
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  H.setup({ execution_mode = 'auto' })
  local state = require('codemyspec.state')
  vim.cmd.edit(vim.fn.fnameescape(vim.fs.joinpath(H.workspace, 'docs/design/shop/catalog.md')))
  local client = H.client(vim.api.nvim_get_current_buf())
  local info = H.execute(client, 'codemyspec/workspaceInfo', vim.empty_dict())
  H.check(info.agent.name == 'claude' and info.agent.found, 'agent ' .. vim.inspect(info.agent))
  local started
  require('codemyspec').start('Orders', function(err, session)
    started = err or session
  end)
  H.wait(30000, function()
    return started ~= nil
  end, 'the session to start')
  H.check(type(started) == 'table', 'start: ' .. vim.inspect(started))
  local finished
  require('codemyspec').run(nil, function(err, outcome)
    finished = err or outcome
  end)
  H.wait(180000, function()
    return finished ~= nil
  end, 'the session to end')
  H.check(state.sessions[started.id].status == 'complete', 'status ' .. state.sessions[started.id].status)

  local session = H.execute(client, 'codemyspec/getSession', { sessionId = started.id })
  local usages = {}
  for _, it in ipairs(session.interactions) do
    if it.command.kind == 'agent' then
      usages[#usages + 1] = it.result.data.usage
    end
  end
  io.stdout:write('USAGE: ', vim.json.encode(usages), '\n')
  local agent = vim.fn.bufnr('codemyspec://agent/' .. started.id)
  local live = table.concat(vim.api.nvim_buf_get_lines(agent, 0, -1, false), '\n')
  io.stdout:write('LIVE:\n', live, '\nEND LIVE\n')

  local shown
  require('codemyspec').show(started.id, function(err, buf)
    shown = err or buf
  end)
  H.wait(20000, function()
    return shown ~= nil
  end, 'the timeline')
  local timeline = table.concat(vim.api.nvim_buf_get_lines(shown, 0, -1, false), '\n')
  io.stdout:write('TIMELINE:\n', timeline, '\nEND TIMELINE\n')
  H.pass('usage')
end)
