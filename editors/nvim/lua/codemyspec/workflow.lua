-- The session workflow from the editor's side: start a session, ask for the next step, run
-- its command, report the result, and repeat until the server says done.
local config = require('codemyspec.config')
local lsp = require('codemyspec.lsp')
local runner = require('codemyspec.runner')
local state = require('codemyspec.state')

local M = {}

local levels = vim.log.levels
local outcome = require('codemyspec.outcome')

-- True while :CodeMySpec next or run works, also between two steps of a run.
local busy = false

local function fail(message, cb)
  state.notify(message, levels.ERROR)
  if cb then
    cb(message)
  end
end

--- Call a server command: an error is shown and passed to cb, a result to on_result.
---@param method string
---@param params table
---@param cb fun(err: string|nil, ...)|nil
---@param on_result fun(result: any)
local function request(method, params, cb, on_result)
  lsp.execute(method, params, function(err, result)
    if err then
      return fail(('%s failed: %s'):format(method:match('[^/]+$'), err), cb)
    end
    on_result(result)
  end)
end

--- The session a command acts on: the one named, else the current one, else the newest active.
---@param id string|nil
---@param cb fun(err: string|nil, id: string|nil)
function M.resolve(id, cb)
  if id and id ~= '' then
    return cb(nil, id)
  end
  if state.current then
    return cb(nil, state.current)
  end
  lsp.execute('codemyspec/listSessions', { status = 'active' }, function(err, result)
    if err then
      return cb(err)
    end
    local newest
    for _, s in ipairs(result and result.sessions or {}) do
      state.remember(s)
      if not newest or (s.updatedAt or '') > (newest.updatedAt or '') then
        newest = s
      end
    end
    if not newest then
      return cb('no active session: start one with :CodeMySpec start {Context}')
    end
    state.set_current(newest.id)
    cb(nil, newest.id)
  end)
end

--- Reload the buffers showing the design file an agent just wrote, so that what the server
--- validates (the open buffer wins over the disk) is what the agent wrote.
---@return integer|nil bufnr of the reloaded design buffer
local function reload_design(command)
  local meta = command.metadata
  local rel = type(meta) == 'table' and meta.designFile or nil
  if type(rel) ~= 'string' then
    return nil
  end
  local path = vim.fs.normalize(vim.fs.joinpath(command.cwd, rel))
  local real = vim.uv.fs_realpath(path) or path
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    local name = vim.api.nvim_buf_get_name(buf)
    if vim.api.nvim_buf_is_loaded(buf) and name ~= '' then
      local real_name = vim.uv.fs_realpath(name) or vim.fs.normalize(name)
      if real_name == real then
        if vim.bo[buf].modified then
          state.notify(
            ('%s has unsaved changes; the server validates those, not what the agent wrote'):format(rel),
            levels.WARN
          )
        else
          vim.api.nvim_buf_call(buf, function()
            vim.cmd('silent! edit!')
          end)
        end
        return buf
      end
    end
  end
  return nil
end

--- One step: nextStep, run its command, reportResult.
--- cb(err, outcome): outcome.done = DoneStep | outcome.session = Session | outcome.stopped = choice
---@param id string
---@param cb fun(err: string|nil, outcome: table|nil)
function M.step(id, cb)
  request('codemyspec/nextStep', { sessionId = id }, cb, function(next_step)
    if next_step.kind == 'done' then
      state.set_running(nil)
      return cb(nil, { done = next_step })
    end
    local command = next_step.command
    state.set_running({ session_id = id, step = next_step.step, kind = command.kind })
    state.notify(('%s: %s'):format(next_step.step, command.description or ''))
    local session = state.sessions[id]
    local mode = session and session.executionMode or config.options.execution_mode
    runner.run(command, mode, function(result, choice)
      if choice == 'cancel' then
        state.set_running(nil)
        return M.cancel(id, function(cerr)
          cb(cerr, { stopped = 'cancel' })
        end)
      end
      if not result then
        state.set_running(nil)
        state.notify(('%s left pending; :CodeMySpec next resumes it'):format(next_step.step))
        return cb(nil, { stopped = choice })
      end
      local design_buf = command.kind ~= 'noop' and reload_design(command) or nil
      local params = {
        sessionId = id,
        interactionId = next_step.interactionId,
        result = result,
      }
      lsp.execute('codemyspec/reportResult', params, function(rerr, reported)
        state.set_running(nil)
        if rerr and rerr:find('(-32004)', 1, true) then
          -- Cancelled (or finished elsewhere) while the command ran: nothing left to do.
          state.notify(('session %s is no longer active'):format(id))
          return cb(nil, { stopped = 'inactive' })
        end
        if rerr then
          return fail('reportResult failed: ' .. rerr, cb)
        end
        state.remember(reported)
        outcome.say(next_step, reported)
        cb(nil, { session = reported, step = next_step.step, command = command })
      end, design_buf)
    end, id)
  end)
end

---@param context string|nil everything typed after :CodeMySpec start
---@param cb fun(err: string|nil, session: table|nil)|nil
function M.start(context, cb)
  require('codemyspec.start').start(context, cb or function() end, fail)
end

--- Claim the one-step-at-a-time slot: cb wrapped to release it, or nil (and cb told) when
--- another next/run holds it.
local function exclusive(cb)
  cb = cb or function() end
  if busy then
    fail('a step is already running; wait for it or :CodeMySpec cancel', cb)
    return nil
  end
  busy = true
  return function(...)
    busy = false
    cb(...)
  end
end

---@param id string|nil
---@param cb fun(err: string|nil, outcome: table|nil)|nil
function M.next(id, cb)
  cb = exclusive(cb)
  if not cb then
    return
  end
  M.resolve(id, function(err, sid)
    if err then
      return fail(err, cb)
    end
    M.step(sid, function(serr, result)
      if not serr and result.done then
        outcome.already_ended(result.done)
      end
      local failed = not serr and result.session and outcome.failed_validation(result)
      cb(serr, result)
      if failed then
        outcome.offer_revision(result, function()
          M.next(sid)
        end)
      end
    end)
  end)
end

--- Steps until the server answers done, the person declines a command, or an error.
---@param id string|nil
---@param cb fun(err: string|nil, outcome: table|nil)|nil
function M.run(id, cb)
  cb = exclusive(cb)
  if not cb then
    return
  end
  M.resolve(id, function(err, sid)
    if err then
      return fail(err, cb)
    end
    local first = true
    local function loop()
      M.step(sid, function(serr, result)
        if serr then
          return cb(serr)
        end
        if result.done then
          if first then
            outcome.already_ended(result.done)
          else
            outcome.announce_done(result.done)
          end
          return cb(nil, result)
        end
        first = false
        if result.stopped then
          return cb(nil, result)
        end
        loop()
      end)
    end
    loop()
  end)
end

---@param id string|nil
---@param cb fun(err: string|nil, session: table|nil)|nil
function M.cancel(id, cb)
  cb = cb or function() end
  M.resolve(id, function(err, sid)
    if err then
      return fail(err, cb)
    end
    if state.running and state.running.session_id == sid then
      runner.stop_current()
    end
    request('codemyspec/cancelSession', { sessionId = sid }, cb, function(session)
      state.remember(session)
      state.notify(('session %s cancelled'):format(sid))
      cb(nil, session)
    end)
  end)
end

---@param cb fun(err: string|nil, sessions: table[]|nil)
function M.list(cb)
  request('codemyspec/listSessions', vim.empty_dict(), cb, function(result)
    local sessions = result and result.sessions or {}
    for _, s in ipairs(sessions) do
      state.remember(s)
    end
    table.sort(sessions, function(a, b)
      return (a.updatedAt or '') > (b.updatedAt or '')
    end)
    cb(nil, sessions)
  end)
end

---@param id string
---@param cb fun(err: string|nil, session: table|nil)
function M.get(id, cb)
  request('codemyspec/getSession', { sessionId = id }, cb, function(session)
    state.remember(session)
    cb(nil, session)
  end)
end

return M
