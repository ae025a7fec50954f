-- Step by step (:CodeMySpec next) with the offline replay agent, whose first design is
-- flawed: the failed validation names its error count, opens the design with its
-- diagnostics and offers the next step (taken: the agent revises); every agent step writes
-- into the one agent window of the session under its own header; once the session is
-- complete, :CodeMySpec next says so; the timeline is a Markdown buffer.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  local client = H.session({ execution_mode = 'auto' })
  local state = require('codemyspec.state')
  local asked = H.asked
  H.answer(function()
    return 'next'
  end)
  local id = H.start_typed('Orders')

  local function next_step()
    local before = #H.notes
    local done
    require('codemyspec').next(nil, function(err, o)
      done = err or o
    end)
    H.wait(90000, function()
      return done ~= nil and state.running == nil
    end, 'a step')
    return done, vim.list_slice(H.notes, before + 1)
  end

  H.check(next_step().step == 'initialize', 'first step')
  H.check(next_step().step == 'generate_context_design', 'second step')
  local outcome, said = next_step()
  H.check(outcome.step == 'validate_design', 'third step: ' .. vim.inspect(outcome))
  local session = H.execute(client, 'codemyspec/getSession', { sessionId = id })
  local errors = session.state.validation.errors
  H.check(type(errors) == 'number' and errors > 0, 'the flawed design has no errors')
  local told = ('validate_design failed: %d errors in docs/design/shop/orders.md'):format(errors)
  io.stdout:write('TOLD: ', table.concat(said, ' / '), '\n')
  H.check(vim.iter(said):any(function(n)
    return n:find(told, 1, true) ~= nil
  end), 'not told ' .. told .. ': ' .. vim.inspect(said))

  -- The design is open, in a window, with its diagnostics.
  local design = vim.fn.bufnr(vim.fs.joinpath(H.workspace, 'docs/design/shop/orders.md'))
  H.check(design ~= -1 and vim.fn.bufwinid(design) ~= -1, 'the design is not shown')
  H.wait(30000, function()
    return #vim.diagnostic.get(design, { severity = vim.diagnostic.severity.ERROR }) == errors
  end, 'the design errors in the buffer: ' .. table.concat(H.codes(design), ' '))

  -- The next step was offered, and taking it ran the revision.
  local offer = asked[#asked]
  H.check(offer and offer.kind == 'codemyspec.ask', 'no offer: ' .. vim.inspect(asked))
  H.check(offer.prompt:find(('validation failed with %d errors'):format(errors), 1, true), offer.prompt)
  H.wait(90000, function()
    local s = state.sessions[id]
    return state.running == nil and #H.execute(client, 'codemyspec/getSession', { sessionId = id }).interactions >= 4
  end, 'the offered revise step')
  session = H.execute(client, 'codemyspec/getSession', { sessionId = id })
  H.check(session.interactions[4].step == 'revise_design', 'step 4 ' .. session.interactions[4].step)
  H.wait(30000, function()
    local last = H.execute(client, 'codemyspec/getSession', { sessionId = id }).interactions[4]
    return last.result ~= vim.NIL and last.result ~= nil
  end, 'the revise result')

  while state.sessions[id].status == 'active' do
    next_step()
  end
  H.check(state.sessions[id].status == 'complete', 'status ' .. state.sessions[id].status)

  -- One agent window for the session: generate and revise under their headers.
  local agent = vim.fn.bufnr('codemyspec://agent/' .. id)
  H.check(agent ~= -1 and #vim.fn.win_findbuf(agent) == 1, 'agent window count')
  local terminals = vim.tbl_filter(function(w)
    return vim.bo[vim.api.nvim_win_get_buf(w)].buftype == 'terminal'
  end, vim.api.nvim_list_wins())
  H.check(#terminals == 1, 'terminal windows: ' .. #terminals)
  local text = table.concat(vim.api.nvim_buf_get_lines(agent, 0, -1, false), '\n')
  H.check(text:find('── generate_context_design', 1, true) and text:find('── revise_design', 1, true), text)

  -- After the end, :CodeMySpec next says so.
  local _, after = next_step()
  io.stdout:write('AFTER END: ', table.concat(after, ' / '), '\n')
  H.check(#after > 0 and after[#after]:find('has already ended (complete)', 1, true), vim.inspect(after))

  -- The timeline: filetype markdown, no language server on it.
  local shown = H.timeline(id)
  H.check(vim.bo[shown].filetype == 'markdown', 'timeline filetype ' .. vim.bo[shown].filetype)
  H.never(function()
    return #vim.lsp.get_clients({ bufnr = shown }) > 0
  end, 'a server attached to the timeline')
  H.pass('step mode')
end)
