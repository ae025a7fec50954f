-- Manual mode with the server: the confirmation shows the agent's argv; "not now" leaves the
-- step pending and :CodeMySpec next offers the same one again; :CodeMySpec sessions picks a
-- session and shows its timeline; completion offers subcommands and session ids;
-- :CodeMySpec cancel ends the session.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local client = H.session({ execution_mode = 'manual' })
  local state = require('codemyspec.state')
  local commands = require('codemyspec.commands')

  local answers = {} -- queue of choice ids for the confirmation
  local prompts = {}
  H.answer(function(items, opts)
    if opts.kind == 'codemyspec.confirm' then
      table.insert(prompts, opts.prompt .. ' | ' .. opts.format_item(items[1]))
      return table.remove(answers, 1) or 'stop'
    end
    return items[1] -- the sessions picker: the newest session
  end)

  local id = H.start_typed('Orders')

  -- initialize is a noop (no confirmation); generate is an agent: declined.
  local outcome
  local function next_step()
    outcome = nil
    require('codemyspec').next(nil, function(err, o)
      outcome = err or o
    end)
    H.wait(60000, function()
      return outcome ~= nil
    end, 'a step')
    return outcome
  end
  H.check(next_step().step == 'initialize', 'first step: ' .. vim.inspect(outcome))
  H.check(#prompts == 0, 'a noop asked for confirmation')
  table.insert(answers, 'stop')
  H.check(next_step().stopped == 'stop', 'decline: ' .. vim.inspect(outcome))
  H.check(#prompts == 1 and prompts[1]:find('replay_agent', 1, true), vim.inspect(prompts))
  H.check(prompts[1]:find('generate_context_design (agent)', 1, true), prompts[1])
  local session = H.execute(client, 'codemyspec/getSession', { sessionId = id })
  local last = session.interactions[#session.interactions]
  H.check(last.step == 'generate_context_design', 'pending step ' .. last.step)
  H.check(last.result == vim.NIL or last.result == nil, 'declined step has a result')

  -- The same pending step comes back and runs when approved.
  table.insert(answers, 'run')
  H.check(next_step().step == 'generate_context_design', 'resumed: ' .. vim.inspect(outcome))
  H.check(#prompts == 2, 'prompts: ' .. vim.inspect(prompts))
  session = H.execute(client, 'codemyspec/getSession', { sessionId = id })
  H.check(#session.interactions == 2, 'a second pending interaction was created')

  -- Completion.
  local subs = commands.complete('', 'CodeMySpec ')
  H.check(vim.deep_equal(subs, { 'agents', 'cancel', 'graph', 'next', 'run', 'sessions', 'show', 'start' }), vim.inspect(subs))
  H.check(vim.deep_equal(commands.complete('s', 'CodeMySpec s'), { 'sessions', 'show', 'start' }), 's')
  H.check(vim.list_contains(commands.complete('', 'CodeMySpec show '), id), 'ids not completed')
  H.check(vim.list_contains(commands.complete('Ca', 'CodeMySpec start Ca'), 'Catalog'), 'contexts')

  -- The sessions picker makes the pick current and opens its timeline.
  state.set_current(nil)
  vim.cmd('CodeMySpec sessions')
  local timeline = 'codemyspec://session/' .. id
  H.wait(20000, function()
    return vim.fn.bufnr(timeline) ~= -1
  end, 'the timeline buffer')
  H.check(state.current == id, 'picked session is not current')
  local tbuf = vim.fn.bufnr(timeline)
  local text = table.concat(vim.api.nvim_buf_get_lines(tbuf, 0, -1, false), '\n')
  H.check(text:find('generate_context_design [agent]: ok', 1, true), 'timeline:\n' .. text)
  H.check(vim.bo[tbuf].buftype == 'nofile' and not vim.bo[tbuf].modifiable, 'not a scratch buffer')
  H.check(#vim.lsp.get_clients({ bufnr = tbuf }) == 0, 'a server attached to the timeline')

  vim.cmd('CodeMySpec cancel')
  H.wait(20000, function()
    return state.sessions[id].status == 'cancelled'
  end, 'the session to be cancelled')
  session = H.execute(client, 'codemyspec/getSession', { sessionId = id })
  H.check(session.status == 'cancelled', 'stored status ' .. session.status)
  H.check(require('codemyspec').statusline() == 'CodeMySpec Orders: cancelled', require('codemyspec').statusline())
  H.pass('manual mode')
end)
