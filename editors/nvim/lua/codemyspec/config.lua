-- Options of the plugin: defaults, validation and the merged values the other modules read.
local M = {}

--- The server command when the person names none: the console script when it is on PATH,
--- otherwise the module run by python3 (a virtual environment that is not activated).
---@return string[]
function M.default_cmd()
  if vim.fn.executable('codemyspec-lsp') == 1 then
    return { 'codemyspec-lsp' }
  end
  return { 'python3', '-m', 'codemyspec_lsp' }
end

M.defaults = {
  -- argv of the language server; nil means M.default_cmd()
  cmd = nil,
  -- 'manual': ask before running each command; 'auto': run commands without asking
  execution_mode = 'manual',
  -- manual mode only: true asks with vim.ui.select; a function(command, done) decides itself
  -- and calls done('run' | 'stop' | 'cancel')
  confirm = true,
  -- called with the session (without interactions) after every codemyspec/sessionChanged
  on_session_changed = nil,
  -- Ex command opening the session's agent window (one per session, reused by every step)
  agent_split = 'botright 15split',
  -- 'keep': the agent window stays open after the agent exits; 'close': it closes when the
  -- agent exits with code 0 (the output stays in its buffer; a failed agent keeps it open)
  agent_window = 'keep',
  -- deprecated alias: true means agent_window = 'close'
  agent_close_on_success = nil,
  -- this server's diagnostics inline: true, a table of vim.diagnostic.Opts.VirtualText, or
  -- false to leave virtual text as Neovim's own vim.diagnostic.config() says
  virtual_text = true,
  -- map `gd` (go to definition) in design buffers the server attached to; false: no keymaps
  keymaps = true,
  -- sent to the server as workspace/configuration section `codemyspec`
  -- (keys designDir, requiredSections, docsBaseUrl)
  settings = nil,
  -- lowest vim.log.levels value that reaches vim.notify for progress messages
  notify_level = vim.log.levels.INFO,
}

M.options = vim.deepcopy(M.defaults)

local MODES = { manual = true, auto = true }
local AGENT_WINDOW = { keep = true, close = true }

-- A plain check rather than vim.validate: its signature differs between 0.10 and 0.11.
local function check(ok, message)
  if not ok then
    error('codemyspec: ' .. message, 3)
  end
end

---@param opts table|nil
---@return table
function M.apply(opts)
  opts = opts or {}
  check(type(opts) == 'table', 'setup() takes a table of options')
  local merged = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts)
  if merged.cmd ~= nil then
    check(type(merged.cmd) == 'table' and #merged.cmd > 0, 'cmd must be a non-empty argv list')
  end
  check(MODES[merged.execution_mode], "execution_mode must be 'manual' or 'auto'")
  if merged.agent_close_on_success ~= nil and (opts.agent_window == nil) then
    merged.agent_window = merged.agent_close_on_success and 'close' or 'keep'
  end
  check(AGENT_WINDOW[merged.agent_window], "agent_window must be 'keep' or 'close'")
  local vt = type(merged.virtual_text)
  check(vt == 'boolean' or vt == 'table', 'virtual_text must be a boolean or a table')
  local confirm = type(merged.confirm)
  check(confirm == 'boolean' or confirm == 'function', 'confirm must be a boolean or a function')
  local hook = merged.on_session_changed
  check(hook == nil or type(hook) == 'function', 'on_session_changed must be a function')
  M.options = merged
  return merged
end

---@return string[]
function M.cmd()
  return M.options.cmd or M.default_cmd()
end

return M
