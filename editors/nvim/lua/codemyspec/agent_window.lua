-- One agent window per session: a terminal buffer every agent step of the session writes
-- into, under a header per step. The window reopens when a step starts and it was closed;
-- agent_window = 'close' closes it when an agent exits with code 0.
local config = require('codemyspec.config')

local M = {}

---@type table<string, {buf: integer, chan: integer}>
M.by_session = {}

local function valid(entry)
  return entry and vim.api.nvim_buf_is_valid(entry.buf)
end

--- The buffer name of a session's agent output.
---@param session_id string
---@return string
function M.name(session_id)
  return 'codemyspec://agent/' .. session_id
end

local function show(buf)
  if vim.fn.bufwinid(buf) ~= -1 then
    return
  end
  local previous = vim.api.nvim_get_current_win()
  vim.cmd(config.options.agent_split)
  vim.api.nvim_win_set_buf(0, buf)
  if vim.api.nvim_win_is_valid(previous) then
    vim.api.nvim_set_current_win(previous)
  end
end

--- Write text as a terminal wants it (CR LF; the agent writes LF).
---@param entry {chan: integer}
---@param text string
function M.write(entry, text)
  pcall(vim.api.nvim_chan_send, entry.chan, (text:gsub('\r?\n', '\r\n')))
end

--- The session's agent window, shown, with a header for the step that starts now.
---@param session_id string
---@param command table the agent Command
---@param argv_text string the argv as a person reads it
---@return {buf: integer, chan: integer}
function M.begin(session_id, command, argv_text)
  local entry = M.by_session[session_id]
  local fresh = not valid(entry)
  if fresh then
    local buf = vim.api.nvim_create_buf(false, true)
    local chan = vim.api.nvim_open_term(buf, {})
    pcall(vim.api.nvim_buf_set_name, buf, M.name(session_id))
    entry = { buf = buf, chan = chan }
    M.by_session[session_id] = entry
  end
  show(entry.buf)
  local header = ('%s── %s · %s ──\n$ %s\n\n'):format(
    fresh and '' or '\n',
    command.step or 'agent',
    os.date('%H:%M:%S'),
    argv_text
  )
  M.write(entry, header)
  return entry
end

--- The step's agent exited: a closing line, and the window closed when the option says so.
---@param entry {buf: integer, chan: integer}
---@param result table the ResultInput
function M.finish(entry, result)
  M.write(entry, ('\n[%s]\n'):format(result.errorMessage or 'exited with code 0'))
  if result.status == 'ok' and config.options.agent_window == 'close' then
    for _, win in ipairs(vim.fn.win_findbuf(entry.buf)) do
      if #vim.api.nvim_list_wins() > 1 then
        pcall(vim.api.nvim_win_close, win, false)
      end
    end
  end
end

return M
