-- Running one Command of the server (protocol.md "Command") and turning its outcome into a
-- ResultInput: process commands quietly with vim.system, agent commands the same way but with
-- their output streamed into a terminal split, noop at once. Never through a shell.
local agent_window = require('codemyspec.agent_window')
local config = require('codemyspec.config')
local render = require('codemyspec.render')

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
  require('codemyspec.ui').ask(prompt, choices, done, 'codemyspec.confirm', 'stop')
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
---@param session_id string|nil the session whose agent window shows an agent's output
---@param done fun(result: table)
local function spawn(command, session_id, done)
  local is_agent = command.kind == 'agent'
  local window, readable
  if is_agent then
    window = agent_window.begin(session_id or command.id, command, M.display_argv(command.argv))
    local meta = type(command.metadata) == 'table' and command.metadata or {}
    local output = type(meta.output) == 'string' and meta.output or nil
    readable = { stdout = render.stream(output), stderr = render.stream(nil) }
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
          agent_window.write(window, readable[name].feed(data))
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
        agent_window.write(window, readable.stdout.flush() .. readable.stderr.flush())
        agent_window.finish(window, result)
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
    -- Not spawned (ENOENT, not executable): exit code 127 as a shell reports it, so that the
    -- server classifies the failure as not_found.
    local message = ('cannot start %s: %s'):format(command.argv[1], tostring(obj))
    local result = { status = 'error', code = 127, errorMessage = message, durationMs = 0 }
    if is_agent then
      agent_window.finish(window, result)
    end
    return done(result)
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
---@param session_id string|nil
function M.run(command, mode, done, session_id)
  if command.kind == 'noop' then
    return done({ status = 'ok' }, 'run')
  end
  local bad = problem(command)
  if bad then
    return done({ status = 'error', errorMessage = bad }, 'run')
  end
  local function go()
    spawn(command, session_id, function(result)
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
