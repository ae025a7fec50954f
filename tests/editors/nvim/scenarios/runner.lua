-- The command runner without a server: argv never through a shell, cwd/stdin/env passed,
-- exit codes and timeouts reported as the protocol says, a missing executable as code 127,
-- agents shown in one window per session (a header per step, JSON lines shown as readable
-- text), manual mode asking first.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  H.setup({ execution_mode = 'auto' })
  local runner = require('codemyspec.runner')
  local py = H.python
  local ws = H.workspace

  local function run(command, mode, session)
    command.id = command.id or 'c1'
    command.step = command.step or 'initialize'
    command.cwd = command.cwd or ws
    command.description = command.description or 'a test command'
    command.timeoutMs = command.timeoutMs or 60000
    local got
    runner.run(command, mode or 'auto', function(result, choice)
      got = { result = result, choice = choice }
    end, session)
    H.wait(60000, function()
      return got ~= nil
    end, 'command ' .. vim.inspect(command.argv))
    return got.result, got.choice
  end

  -- process: stdin, cwd, env reach the process; stdout and stderr come back.
  local docs = vim.fs.joinpath(ws, 'docs')
  local r = run({
    kind = 'process',
    argv = {
      py,
      '-c',
      'import os,sys; print(sys.stdin.read().upper()); print(os.getcwd()); '
        .. 'print(os.environ["CMS_X"]); sys.stderr.write("careful\\n")',
    },
    cwd = docs,
    stdin = 'hello',
    env = { CMS_X = '42' },
  })
  H.check(r.status == 'ok' and r.code == 0, 'process: ' .. vim.inspect(r))
  H.check(r.stdout:find('HELLO', 1, true), 'stdin not passed: ' .. r.stdout)
  H.check(r.stdout:find(docs, 1, true), 'cwd not used: ' .. r.stdout)
  H.check(r.stdout:find('42', 1, true), 'env not passed: ' .. r.stdout)
  H.check(r.stderr == 'careful\n', 'stderr: ' .. vim.inspect(r.stderr))
  H.check(type(r.durationMs) == 'number', 'no duration')

  -- No shell: a metacharacter-laden argument arrives verbatim and runs nothing.
  local evil = '$(touch pwned); echo hi > pwned2 `touch pwned3`'
  r = run({ kind = 'process', argv = { py, '-c', 'import sys; print(sys.argv[1])', evil } })
  H.check(r.stdout == evil .. '\n', 'argument changed: ' .. vim.inspect(r.stdout))
  for _, f in ipairs({ 'pwned', 'pwned2', 'pwned3' }) do
    H.check(not vim.uv.fs_stat(vim.fs.joinpath(ws, f)), 'a shell ran: ' .. f .. ' exists')
  end

  -- Non-zero exit is an error with the code.
  r = run({ kind = 'process', argv = { py, '-c', 'import sys; sys.exit(3)' } })
  H.check(r.status == 'error' and r.code == 3, 'exit 3: ' .. vim.inspect(r))
  H.check(r.errorMessage:find('3', 1, true), 'message: ' .. tostring(r.errorMessage))

  -- timeoutMs is enforced.
  r = run({ kind = 'process', argv = { py, '-c', 'import time; time.sleep(60)' }, timeoutMs = 300 })
  H.check(r.status == 'error', 'timeout: ' .. vim.inspect(r))
  H.check(r.errorMessage:find('timed out', 1, true), 'timeout message: ' .. tostring(r.errorMessage))

  -- A missing executable is an error result with code 127 (as a shell says), not a Lua error.
  r = run({ kind = 'process', argv = { 'codemyspec-no-such-program' } })
  H.check(r.status == 'error' and r.errorMessage:find('cannot start', 1, true), vim.inspect(r))
  H.check(r.code == 127, 'code of an unspawnable command: ' .. vim.inspect(r.code))

  -- noop: ok at once, nothing runs.
  r = run({ kind = 'noop', argv = {} })
  H.check(r.status == 'ok' and r.code == nil, 'noop: ' .. vim.inspect(r))

  -- agent: output streams into the session's agent window; focus stays where it was.
  local win = vim.api.nvim_get_current_win()
  local windows_before = #vim.api.nvim_list_wins()
  r = run({
    kind = 'agent',
    step = 'generate_context_design',
    id = 'agent1',
    argv = { py, '-c', 'import sys; print("agent read " + sys.stdin.read())' },
    stdin = 'the prompt',
  }, 'auto', 's1')
  H.check(r.status == 'ok' and r.stdout == 'agent read the prompt\n', 'agent: ' .. vim.inspect(r))
  H.check(vim.api.nvim_get_current_win() == win, 'focus moved to the agent window')
  local term = vim.fn.bufnr('codemyspec://agent/s1')
  H.check(term ~= -1 and vim.bo[term].buftype == 'terminal', 'no agent terminal buffer')
  H.check(vim.fn.bufwinid(term) ~= -1, 'agent terminal not shown in a window')
  local function term_text()
    return table.concat(vim.api.nvim_buf_get_lines(term, 0, -1, false), '\n')
  end
  H.wait(10000, function()
    local text = term_text()
    return text:find('agent read the prompt', 1, true) and text:find('exited with code 0', 1, true)
  end, 'the agent output in the terminal')

  -- The next agent step of the same session: the same window, under a header of its own;
  -- an agent's JSON lines are shown as the text they carry, the result keeps them whole.
  local events = {
    '{"type": "system", "subtype": "init", "session_id": "abc-123", "model": "sonnet"}',
    '{"type": "assistant", "message": {"content": [{"type": "text", "text": "Revising the design"},'
      .. ' {"type": "tool_use", "name": "Write", "input": {"file_path": "docs/design/shop/orders.md"}}]}}',
    '{"type": "result", "subtype": "success", "total_cost_usd": 0.0123, "num_turns": 4, "result": "ok"}',
  }
  r = run({
    kind = 'agent',
    step = 'revise_design',
    id = 'agent2',
    argv = { py, '-c', 'import sys; sys.stdout.write(sys.stdin.read())' },
    stdin = table.concat(events, '\n') .. '\n',
    metadata = { output = 'claude-stream-json' },
  }, 'auto', 's1')
  H.check(r.status == 'ok' and r.stdout:find('"total_cost_usd"', 1, true), 'raw output kept: ' .. vim.inspect(r))
  H.wait(10000, function()
    return term_text():find('0.0123', 1, true) ~= nil
  end, 'the second step in the same agent window')
  local text = term_text()
  H.check(#vim.fn.win_findbuf(term) == 1, 'the agent buffer is in several windows')
  H.check(#vim.api.nvim_list_wins() == windows_before + 1, 'a second agent window opened')
  for _, want in ipairs({
    '── generate_context_design',
    '── revise_design',
    'Revising the design',
    '→ Write docs/design/shop/orders.md',
    'agent session abc-123 · model sonnet',
    'done: success · 4 turns · $0.0123',
  }) do
    H.check(text:find(want, 1, true) ~= nil, 'agent window lacks ' .. want .. ':\n' .. text)
  end
  H.check(not text:find('{"type"', 1, true), 'raw JSON in the agent window:\n' .. text)
  local agent_buffers = vim.tbl_filter(function(b)
    return vim.api.nvim_buf_get_name(b):find('codemyspec://agent/', 1, true) ~= nil
  end, vim.api.nvim_list_bufs())
  H.check(#agent_buffers == 1, 'agent buffers: ' .. #agent_buffers)

  -- agent_window = 'close': the window closes when the agent succeeds (a failure keeps it).
  local options = require('codemyspec.config').options
  options.agent_window = 'close'
  r = run({ kind = 'agent', step = 'generate_context_design', id = 'a3', argv = { py, '-c', 'pass' } }, 'auto', 's2')
  local closed = vim.fn.bufnr('codemyspec://agent/s2')
  H.check(r.status == 'ok' and closed ~= -1 and vim.fn.bufwinid(closed) == -1, 'window not closed')
  r = run({ kind = 'agent', step = 'revise_design', id = 'a4', argv = { py, '-c', 'raise SystemExit(2)' } }, 'auto', 's2')
  H.check(r.status == 'error' and vim.fn.bufwinid(closed) ~= -1, 'a failed agent closed its window')
  options.agent_window = 'keep'

  -- manual mode: the person sees the argv and may decline; nothing runs then.
  local asked
  vim.ui.select = function(items, opts, on_choice)
    asked = { items = items, prompt = opts.prompt, format = opts.format_item }
    on_choice(items[2], 2) -- "not now"
  end
  local marker = vim.fs.joinpath(ws, 'ran.txt')
  local result, choice = run({
    kind = 'process',
    argv = { py, '-c', 'open("ran.txt", "w").write("x")' },
    description = 'write ran.txt',
  }, 'manual')
  H.check(result == nil and choice == 'stop', 'declined: ' .. vim.inspect({ result, choice }))
  H.check(not vim.uv.fs_stat(marker), 'the declined command ran')
  H.check(asked.prompt:find('write ran.txt', 1, true), 'prompt: ' .. asked.prompt)
  local first = asked.format(asked.items[1])
  H.check(first:find(py, 1, true) and first:find('ran.txt', 1, true), 'argv not shown: ' .. first)
  io.stdout:write('CONFIRM: ', asked.prompt, ' | ', first, '\n')

  vim.ui.select = function(items, _, on_choice)
    on_choice(items[1], 1) -- run
  end
  result, choice = run({ kind = 'process', argv = { py, '-c', 'open("ran.txt", "w").write("x")' } }, 'manual')
  H.check(choice == 'run' and result.status == 'ok', 'approved: ' .. vim.inspect(result))
  H.check(vim.uv.fs_stat(marker) ~= nil, 'the approved command did not run')

  -- A confirm function in the options decides instead of vim.ui.select.
  local seen
  require('codemyspec.config').options.confirm = function(command, done)
    seen = command
    done('cancel')
  end
  result, choice = run({ kind = 'agent', argv = { py, '-c', 'pass' }, step = 'revise_design' }, 'manual')
  H.check(result == nil and choice == 'cancel', 'custom confirm: ' .. vim.inspect(choice))
  H.check(seen and seen.step == 'revise_design', 'custom confirm did not see the command')
  H.pass('runner')
end)
