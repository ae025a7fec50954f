-- The command runner without a server: argv never through a shell, cwd/stdin/env passed,
-- exit codes and timeouts reported as the protocol says, agents shown in a terminal split,
-- manual mode asking first.
local H = dofile(os.getenv('CMS_TEST_HELPERS'))

H.main(function()
  H.setup({ execution_mode = 'auto' })
  local runner = require('codemyspec.runner')
  local py = H.python
  local ws = H.workspace

  local function run(command, mode)
    command.id = command.id or 'c1'
    command.step = command.step or 'initialize'
    command.cwd = command.cwd or ws
    command.description = command.description or 'a test command'
    command.timeoutMs = command.timeoutMs or 60000
    local got
    runner.run(command, mode or 'auto', function(result, choice)
      got = { result = result, choice = choice }
    end)
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

  -- A missing executable is an error result, not a Lua error.
  r = run({ kind = 'process', argv = { 'codemyspec-no-such-program' } })
  H.check(r.status == 'error' and r.errorMessage:find('cannot start', 1, true), vim.inspect(r))

  -- noop: ok at once, nothing runs.
  r = run({ kind = 'noop', argv = {} })
  H.check(r.status == 'ok' and r.code == nil, 'noop: ' .. vim.inspect(r))

  -- agent: output streams into a terminal split; focus stays where it was.
  local win = vim.api.nvim_get_current_win()
  r = run({
    kind = 'agent',
    step = 'generate_context_design',
    id = 'agent1',
    argv = { py, '-c', 'import sys; print("agent read " + sys.stdin.read())' },
    stdin = 'the prompt',
  })
  H.check(r.status == 'ok' and r.stdout == 'agent read the prompt\n', 'agent: ' .. vim.inspect(r))
  H.check(vim.api.nvim_get_current_win() == win, 'focus moved to the agent window')
  local term = vim.fn.bufnr('codemyspec://agent/generate_context_design/agent1')
  H.check(term ~= -1 and vim.bo[term].buftype == 'terminal', 'no agent terminal buffer')
  H.check(vim.fn.bufwinid(term) ~= -1, 'agent terminal not shown in a window')
  H.wait(10000, function()
    local text = table.concat(vim.api.nvim_buf_get_lines(term, 0, -1, false), '\n')
    return text:find('agent read the prompt', 1, true) and text:find('exited with code 0', 1, true)
  end, 'the agent output in the terminal')

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
