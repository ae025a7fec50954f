-- A whole session with the claude preset, run by a fake `claude` on PATH that writes the
-- design as the replay agent does and prints a recorded Claude Code stream-json output: the
-- agent window shows readable text, never raw JSON, and the timeline shows the usage the
-- server read, per agent step and summed for the session (printed for pytest).
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local client = H.session({ execution_mode = 'auto' })
  local state = require('codemyspec.state')
  local info = H.execute(client, 'codemyspec/workspaceInfo', vim.empty_dict())
  H.check(info.agent.name == 'claude' and info.agent.found, 'agent ' .. vim.inspect(info.agent))
  local started = H.start('Orders')
  H.await('run', nil, 180000)
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

  local _, timeline = H.timeline(started.id)
  io.stdout:write('TIMELINE:\n', timeline, '\nEND TIMELINE\n')
  H.pass('usage')
end)
