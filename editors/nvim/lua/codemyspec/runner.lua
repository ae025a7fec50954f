-- Running one Command of the server (protocol.md "Command") and turning its outcome into a
-- ResultInput: process commands quietly with vim.system, agent commands the same way but with
-- their output streamed into a terminal split, noop at once. Never through a shell.
local config = require('codemyspec.config')

local M = {}

local MAX_OUTPUT = 1000000 -- characters of stdout/stderr kept for the report (the tail)
local KILL_GRACE_MS = 5000 -- after SIGTERM on timeout, SIGKILL if the process lingers

local function present(v)
  return v ~= nil and v ~= vim.NIL
end

--- argv as a person reads it: each element quoted when it holds blanks or quotes.
---@param argv string[]
---@return string
function M.display_argv(argv)
  local parts = {}
  for _, a in ipairs(argv) do
    if a == '' or a:find('[%s\'"\\$`]') then
      parts[#parts + 1] = "'" .. a:gsub("'", "'\\''") .. "'"
    else
      parts[#parts + 1] = a
    end
  end
  return table.concat(parts, ' ')
end

---@param text string|nil
---@return string|nil
local function tail(text)
  if not text or #text <= MAX_OUTPUT then
    return text
  end
  return text:sub(-MAX_OUTPUT)
end

--- Check a command's shape before anything runs; a malformed command is an error result.
---@return string|nil problem
local function problem(command)
  if type(command.argv) ~= 'table' or #command.argv == 0 then
    return 'the command has no argv'
  end
  for i, a in ipairs(command.argv) do
    if type(a) ~= 'string' then
      return ('argv[%d] is not a string'):format(i)
    end
  end
  if not present(command.cwd) or vim.fn.isdirectory(command.cwd) ~= 1 then
    return ('the working directory %s does not exist'):format(tostring(command.cwd))
  end
  return nil
end

local function env_of(command)
  if type(command.env) ~= 'table' or next(command.env) == nil then
    return nil
  end
  return command.env
end

--- Ask the person before a command runs (manual mode). done('run' | 'stop' | 'cancel').
---@param command table
---@param done fun(choice: string)
function M.confirm(command, done)
  local custom = config.options.confirm
  if type(custom) == 'function' then
    return custom(command, done)
  end
  local choices = {
    { id = 'run', label = 'Run: ' .. M.display_argv(command.argv) },
    { id = 'stop', label = 'Not now (the step stays pending; :CodeMySpec next resumes)' },
    { id = 'cancel', label = 'Cancel the session' },
  }
  local prompt = ('CodeMySpec %s (%s) in %s: %s'):format(
    command.step,
    command.kind,
    command.cwd,
    present(command.description) and command.description or ''
  )
  vim.ui.select(choices, {
    prompt = prompt,
    kind = 'codemyspec.confirm',
    format_item = function(item)
      return item.label
    end,
  }, function(choice)
    done(choice and choice.id or 'stop')
  end)
end

--- The terminal split an agent's output streams into. Focus returns to where the person was.
---@return integer bufnr, integer channel
local function open_terminal(command)
  local previous = vim.api.nvim_get_current_win()
  vim.cmd(config.options.agent_split)
  local buf = vim.api.nvim_create_buf(false, true)
  vim.api.nvim_win_set_buf(0, buf)
  local channel = vim.api.nvim_open_term(buf, {})
  pcall(vim.api.nvim_buf_set_name, buf, ('codemyspec://agent/%s/%s'):format(command.step, command.id))
  if vim.api.nvim_win_is_valid(previous) then
    vim.api.nvim_set_current_win(previous)
  end
  return buf, channel
end

local function term_write(channel, text)
  -- A terminal wants CR LF; the agent writes LF.
  pcall(vim.api.nvim_chan_send, channel, (text:gsub('\r?\n', '\r\n')))
end

--- Stop the command running now, if any (the session was cancelled under it).
function M.stop_current()
  local obj = M.current
  if obj and not obj:is_closing() then
    pcall(obj.kill, obj, 15)
  end
end

--- Run a process or agent command. done(result) with a ResultInput table.
---@param command table
---@param done fun(result: table)
local function spawn(command, done)
  local is_agent = command.kind == 'agent'
  local buf, channel
  if is_agent then
    buf, channel = open_terminal(command)
    term_write(channel, ('$ %s\n\n'):format(M.display_argv(command.argv)))
  end
  local started = vim.uv.hrtime()
  local timed_out = false
  local timer
  -- vim.system keeps the output only when no handler reads it; agents stream, so collect here.
  local collected = { stdout = {}, stderr = {} }
  local function reader(name)
    return function(_, data)
      if not data then
        return
      end
      table.insert(collected[name], data)
      if is_agent then
        vim.schedule(function()
          term_write(channel, data)
        end)
      end
    end
  end
  local function on_exit(out)
    vim.schedule(function()
      M.current = nil
      if timer and not timer:is_closing() then
        timer:stop()
        timer:close()
      end
      local duration = math.floor((vim.uv.hrtime() - started) / 1e6)
      local result = {
        status = out.code == 0 and not timed_out and 'ok' or 'error',
        code = out.code,
        stdout = tail(table.concat(collected.stdout)),
        stderr = tail(table.concat(collected.stderr)),
        durationMs = duration,
      }
      if timed_out then
        result.errorMessage = ('timed out after %d ms'):format(command.timeoutMs)
      elseif out.code ~= 0 then
        result.errorMessage = ('exited with code %d%s'):format(
          out.code,
          out.signal ~= 0 and (' (signal ' .. out.signal .. ')') or ''
        )
      end
      if is_agent then
        term_write(channel, ('\n[%s]\n'):format(result.errorMessage or 'exited with code 0'))
        if result.status == 'ok' and config.options.agent_close_on_success then
          pcall(vim.api.nvim_buf_delete, buf, { force = true })
        end
      end
      done(result)
    end)
  end
  local ok, obj = pcall(vim.system, command.argv, {
    cwd = command.cwd,
    env = env_of(command),
    stdin = present(command.stdin) and command.stdin or false,
    text = true,
    stdout = reader('stdout'),
    stderr = reader('stderr'),
  }, on_exit)
  if ok then
    M.current = obj
  else
    local message = ('cannot start %s: %s'):format(command.argv[1], tostring(obj))
    if is_agent then
      term_write(channel, message .. '\n')
    end
    return done({ status = 'error', errorMessage = message, durationMs = 0 })
  end
  if present(command.timeoutMs) and command.timeoutMs > 0 then
    timer = assert(vim.uv.new_timer())
    timer:start(command.timeoutMs, 0, function()
      timed_out = true
      pcall(obj.kill, obj, 15)
      timer:stop()
      local killer = assert(vim.uv.new_timer())
      killer:start(KILL_GRACE_MS, 0, function()
        killer:close()
        if not obj:is_closing() then
          pcall(obj.kill, obj, 9)
        end
      end)
    end)
  end
end

--- Run a command as the protocol asks and call done(result, choice).
--- choice is 'run' when it ran (result is set), 'stop' or 'cancel' when the person declined.
---@param command table the Command object of a NextStep
---@param mode string 'manual' | 'auto'
---@param done fun(result: table|nil, choice: string)
function M.run(command, mode, done)
  if command.kind == 'noop' then
    return done({ status = 'ok' }, 'run')
  end
  local bad = problem(command)
  if bad then
    return done({ status = 'error', errorMessage = bad }, 'run')
  end
  local function go()
    spawn(command, function(result)
      done(result, 'run')
    end)
  end
  if mode == 'manual' and config.options.confirm ~= false then
    return M.confirm(command, function(choice)
      if choice == 'run' then
        go()
      else
        done(nil, choice)
      end
    end)
  end
  go()
end

return M
