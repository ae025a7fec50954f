-- What the plugin knows about sessions: the latest summary of each one the server told us
-- about, the current session, and the step running now. Feeds the statusline and completion.
local config = require('codemyspec.config')

local M = {
  sessions = {}, ---@type table<string, table> id -> Session without interactions
  current = nil, ---@type string|nil id of the session :CodeMySpec next/run/cancel act on
  running = nil, ---@type {session_id: string, step: string, kind: string}|nil
  announced = {}, ---@type table<string, string> id -> final status already told to the person
}

local FINAL = { complete = true, failed = true, cancelled = true }

---@param message string
---@param level integer|nil
function M.notify(message, level)
  level = level or vim.log.levels.INFO
  if level >= config.options.notify_level then
    vim.notify('CodeMySpec: ' .. message, level)
  end
end

local function redraw()
  -- Statusline components only change when Neovim redraws them.
  pcall(vim.cmd.redrawstatus, { bang = true })
end

---@param session table summary or full session as the server sent it
function M.remember(session)
  if type(session) ~= 'table' or type(session.id) ~= 'string' then
    return
  end
  local before = M.sessions[session.id]
  local summary = vim.deepcopy(session)
  summary.interactions = nil
  M.sessions[session.id] = summary
  if before and before.status ~= summary.status and FINAL[summary.status] then
    M.announce(summary)
  end
  redraw()
end

--- Why a session failed or was cancelled: state.outcome.reason as the server recorded it.
---@param session table
---@return string|nil
function M.reason(session)
  local st = type(session) == 'table' and session.state or nil
  local outcome = type(st) == 'table' and st.outcome or nil
  local reason = type(outcome) == 'table' and outcome.reason or nil
  return type(reason) == 'string' and reason ~= '' and reason or nil
end

--- Tell the person a session ended, once per final status.
---@param summary table
function M.announce(summary)
  if M.announced[summary.id] == summary.status then
    return
  end
  M.announced[summary.id] = summary.status
  local level = summary.status == 'complete' and vim.log.levels.INFO or vim.log.levels.WARN
  local context = type(summary.context) == 'table' and summary.context.name or '?'
  local message = ('session %s for %s is %s'):format(summary.id, context, summary.status)
  local reason = summary.status ~= 'complete' and M.reason(summary) or nil
  if reason then
    message = message .. ': ' .. reason
  end
  M.notify(message, level)
end

---@param id string|nil
function M.set_current(id)
  M.current = id
  redraw()
end

---@param running table|nil
function M.set_running(running)
  M.running = running
  redraw()
end

--- Handler of the server's `codemyspec/sessionChanged` notification.
function M.on_session_changed(_, params)
  local session = type(params) == 'table' and params.session or nil
  if type(session) ~= 'table' then
    return
  end
  M.remember(session)
  local hook = config.options.on_session_changed
  if hook then
    local ok, err = pcall(hook, M.sessions[session.id])
    if not ok then
      M.notify('on_session_changed failed: ' .. tostring(err), vim.log.levels.ERROR)
    end
  end
  vim.api.nvim_exec_autocmds('User', {
    pattern = 'CodeMySpecSessionChanged',
    modeline = false,
    data = M.sessions[session.id],
  })
end

--- A statusline component: the current session's context and its step or status.
---@return string
function M.statusline()
  local server = require('codemyspec.server')
  -- down() answers at once while a client runs; the workspace lookup only when none does.
  local down = server.down()
  if down and (server.exited or require('codemyspec.lsp').find_root(0)) then
    return 'CodeMySpec: server not running (:checkhealth codemyspec)'
  end
  local id = M.current
  if not id then
    return ''
  end
  local session = M.sessions[id]
  local name = session and type(session.context) == 'table' and session.context.name or id
  if M.running and M.running.session_id == id then
    return ('CodeMySpec %s: %s'):format(name, M.running.step)
  end
  return ('CodeMySpec %s: %s'):format(name, session and session.status or '?')
end

return M
