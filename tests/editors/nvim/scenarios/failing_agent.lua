-- An agent that cannot be started (pytest configures a command that does not exist): the
-- start warns that it is not found (answered: start anyway), the runner reports exit code
-- 127, the session fails, and the person is told why, in the words of the server's
-- state.outcome.reason, in a notification and on the timeline.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  H.setup({ execution_mode = 'auto' })
  local warned
  vim.ui.select = function(items, opts, on_choice)
    warned = opts.prompt
    for i, item in ipairs(items) do
      if item.id == 'start' then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  vim.cmd.edit(vim.fn.fnameescape(vim.fs.joinpath(H.workspace, 'docs/design/shop/catalog.md')))
  local client = H.client(vim.api.nvim_get_current_buf())
  local started = H.start('Orders')
  io.stdout:write('WARNED: ', tostring(warned), '\n')
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
