-- (b) :CodeMySpec start Orders and :CodeMySpec run in auto mode with the offline replay
-- agent: the session ends complete (said once) and the design's diagnostics, seen during
-- the run, are clear at the end.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local changed = {} -- sessions seen by the on_session_changed hook
  local opts = {
    execution_mode = 'auto',
    on_session_changed = function(session)
      table.insert(changed, session.status)
    end,
  }
  -- The design the agent will write, open from the start as a person would keep it.
  local client, buf = H.session(opts, 'docs/design/shop/orders.md')
  local codemyspec = require('codemyspec')
  local state = require('codemyspec.state')

  local worst = 0 -- most codemyspec errors seen on the design buffer at once
  vim.api.nvim_create_autocmd('DiagnosticChanged', {
    buffer = buf,
    callback = function()
      local n = #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR })
      worst = math.max(worst, n)
    end,
  })

  local id = H.start_typed('Orders')
  H.check(codemyspec.statusline():find('Orders', 1, true) ~= nil, 'statusline: ' .. codemyspec.statusline())
  H.check(
    state.sessions[id].context.designFile == 'docs/design/shop/orders.md',
    'design file ' .. vim.inspect(state.sessions[id].context)
  )

  vim.cmd('CodeMySpec run')
  pcall(vim.cmd, 'CodeMySpec next') -- refused (an error message): the run owns the steps
  H.check(H.notes[#H.notes]:find('already running', 1, true), 'second step not refused')
  H.wait(180000, function()
    local s = state.sessions[id]
    return state.running == nil and s ~= nil and s.status ~= 'active'
  end, 'the session to end')

  local session = H.execute(client, 'codemyspec/getSession', { sessionId = id })
  local steps = {}
  for _, it in ipairs(session.interactions) do
    local status = it.result ~= vim.NIL and it.result and it.result.status or 'pending'
    table.insert(steps, it.step .. '=' .. status)
  end
  io.stdout:write('STEPS: ', table.concat(steps, ' '), '\n')
  io.stdout:write('STATUS: ', session.status, '\n')
  H.check(session.status == 'complete', 'session status ' .. session.status)
  H.check(vim.list_contains(changed, 'complete'), 'hook saw ' .. vim.inspect(changed))
  local told = vim.tbl_filter(function(n)
    return n:find('for Orders is complete', 1, true) ~= nil
  end, H.notes)
  H.check(#told == 1, 'the end was told ' .. #told .. ' times: ' .. vim.inspect(told))
  H.check(H.notes[#H.notes] == told[1], 'the last word is not the end: ' .. H.notes[#H.notes])
  H.check(worst > 0, 'no error diagnostics appeared on the design during the run')

  H.wait(30000, function()
    return #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR }) == 0
  end, 'the design diagnostics to clear: ' .. table.concat(H.codes(buf), ' '))
  io.stdout:write('WORST: ', worst, '\n')
  vim.o.statusline = "%f %= %{v:lua.require'codemyspec'.statusline()}"
  local line = vim.api.nvim_eval_statusline(vim.o.statusline, { maxwidth = 200 }).str
  H.check(line:find('CodeMySpec Orders: complete', 1, true) ~= nil, 'statusline: ' .. line)

  -- The timeline shows every step.
  local shown
  codemyspec.show(id, function(err, tbuf)
    shown = err or tbuf
  end)
  H.wait(20000, function()
    return shown ~= nil
  end, 'the timeline')
  H.check(type(shown) == 'number', 'show failed: ' .. tostring(shown))
  local text = table.concat(vim.api.nvim_buf_get_lines(shown, 0, -1, false), '\n')
  for _, step in ipairs({ 'generate_context_design', 'revise_design', 'finalize' }) do
    H.check(text:find(step, 1, true) ~= nil, 'timeline lacks ' .. step .. ':\n' .. text)
  end
  H.pass('session complete')
end)
