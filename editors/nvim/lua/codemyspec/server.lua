-- Whether the language server runs, and when it does not, why and how to fix it: for the
-- statusline, :checkhealth and every command refused while it is down.
local config = require('codemyspec.config')

local M = {}

M.name = 'codemyspec'

---@class codemyspec.Down
---@field reason string what went wrong, e.g. "python3 -m codemyspec_lsp: No module named codemyspec_lsp"
---@field fix string what to do about it

--- Set when a client exited with a non-zero code (a crash or a failed start), until a client
--- initializes again.
---@type {code: integer, signal: integer, cmd: string[], stderr: string|nil}|nil
M.exited = nil

local has_011 = vim.fn.has('nvim-0.11') == 1

local function display(cmd)
  return require('codemyspec.runner').display_argv(cmd)
end

--- The argv the server starts with: a running client's, else the enabled config's (0.11:
--- vim.lsp.config, which holds lsp/codemyspec.lua and every override), else setup()'s.
---@return string[]
function M.cmd()
  local clients = vim.lsp.get_clients({ name = M.name })
  if clients[1] and type(clients[1].config.cmd) == 'table' then
    return clients[1].config.cmd
  end
  if has_011 then
    local ok, cfg = pcall(function()
      return vim.lsp.config[M.name]
    end)
    if ok and cfg and type(cfg.cmd) == 'table' then
      return cfg.cmd
    end
  end
  return config.cmd()
end

--- `python3 -m codemyspec_lsp` style: the interpreter that must hold the package.
---@param cmd string[]
---@return string|nil
function M.interpreter(cmd)
  if cmd[2] == '-m' then
    local exe = vim.fn.exepath(cmd[1])
    return exe ~= '' and exe or cmd[1]
  end
  return nil
end

--- The clone this plugin was loaded from (editors/nvim of the repository), if it is one.
---@return string|nil
local function clone_root()
  local source = debug.getinfo(1, 'S').source:gsub('^@', '')
  local root = vim.fs.normalize(vim.fn.fnamemodify(source, ':p:h:h:h:h:h'))
  if vim.uv.fs_stat(vim.fs.joinpath(root, 'pyproject.toml')) then
    return root
  end
  return nil
end

--- What to do when `cmd` cannot start the server: the alternatives, most direct first.
---@param cmd string[]
---@return string[]
function M.fixes(cmd)
  local clone = clone_root()
  local package = clone and ('-e ' .. clone) or 'codemyspec-lsp'
  local python = M.interpreter(cmd)
  local install = python
      and ('install the server into that interpreter: %s -m pip install %s'):format(python, package)
    or ('install the server so that %s is on PATH: pip install %s'):format(cmd[1], package)
  return {
    install,
    "or point cmd at an environment that has it: require('codemyspec').setup({ cmd = "
      .. "{ '/path/to/venv/bin/codemyspec-lsp' } }), or with the plain setup "
      .. "vim.lsp.config('codemyspec', { cmd = { '/path/to/venv/bin/codemyspec-lsp' } })",
  }
end

--- The fixes as one sentence.
---@param cmd string[]
---@return string
function M.fix(cmd)
  return table.concat(M.fixes(cmd), '; ')
end

--- The last meaningful line of a failed start's stderr: "ModuleNotFoundError: No module
--- named 'codemyspec_lsp'" rather than the traceback above it.
---@param text string|nil
---@return string|nil
local function last_line(text)
  local found
  for line in (text or ''):gmatch('[^\r\n]+') do
    if vim.trim(line) ~= '' then
      found = vim.trim(line)
    end
  end
  return found
end

--- Run `cmd --version` (the server imports its package, prints its version, exits).
---@param cmd string[]
---@param timeout_ms integer|nil
---@return {ok: boolean, version: string|nil, error: string|nil}
function M.probe(cmd, timeout_ms)
  local argv = vim.list_extend(vim.deepcopy(cmd), { '--version' })
  local ok, obj = pcall(vim.system, argv, { text = true })
  if not ok then
    return { ok = false, error = tostring(obj) }
  end
  local out = obj:wait(timeout_ms or 15000)
  local version = vim.trim(out.stdout or '')
  if out.code == 0 and version ~= '' then
    return { ok = true, version = version }
  end
  return {
    ok = false,
    error = last_line(out.stderr) or ('exited with code %s'):format(tostring(out.code)),
  }
end

--- Why the server is not running now, or nil when it runs (or nothing says it cannot).
---@return codemyspec.Down|nil
function M.down()
  for _, client in ipairs(vim.lsp.get_clients({ name = M.name })) do
    local stopped = has_011 and client:is_stopped() or (not has_011 and client.is_stopped())
    if not stopped then
      return nil
    end
  end
  local cmd = M.exited and M.exited.cmd or M.cmd()
  if vim.fn.executable(cmd[1]) ~= 1 then
    return {
      reason = ('the server command %s is not found (cmd = %s)'):format(cmd[1], display(cmd)),
      fix = M.fix(cmd),
    }
  end
  if M.exited then
    local why = M.exited.stderr or ('it exited with code %d'):format(M.exited.code)
    return {
      reason = ('%s cannot run the server: %s%s'):format(display(cmd), why, M.naming(cmd, why)),
      fix = M.fix(cmd),
    }
  end
  return nil
end

--- " (interpreter /usr/bin/python3)" unless the message names it already.
---@param cmd string[]
---@param message string
---@return string
function M.naming(cmd, message)
  local python = M.interpreter(cmd)
  if not python or message:find(python, 1, true) then
    return ''
  end
  return (' (interpreter %s)'):format(python)
end

--- One sentence for a refused command or a notification.
---@param down codemyspec.Down
---@return string
function M.explain(down)
  return ('the CodeMySpec server is not running: %s. Fix: %s'):format(down.reason, down.fix)
end

local function redraw()
  pcall(vim.cmd.redrawstatus, { bang = true })
end

--- on_init of the client config: the server runs; its diagnostics go inline.
---@param client table
function M.on_init(client)
  M.exited = nil
  local vt = config.options.virtual_text
  if vt then
    for _, pull in ipairs({ false, true }) do
      local ns = vim.lsp.diagnostic.get_namespace(client.id, pull)
      vim.diagnostic.config({ virtual_text = vt }, ns)
    end
  end
  vim.schedule(redraw)
end

--- on_exit of the client config: a non-zero exit is remembered, and the reason found by
--- running the same command with --version (its stderr names the problem).
---@param code integer
---@param signal integer
---@param client_id integer
function M.on_exit(code, signal, client_id)
  if code == 0 and signal == 0 then
    return -- a deliberate stop
  end
  local client = vim.lsp.get_client_by_id(client_id)
  local cmd = client and type(client.config.cmd) == 'table' and client.config.cmd or M.cmd()
  M.exited = { code = code, signal = signal, cmd = cmd }
  vim.schedule(function()
    redraw()
    local exited = M.exited
    local argv = vim.list_extend(vim.deepcopy(cmd), { '--version' })
    local ok = pcall(vim.system, argv, { text = true }, function(out)
      vim.schedule(function()
        if M.exited == exited and out.code ~= 0 then
          exited.stderr = last_line(out.stderr)
        end
        local down = M.down()
        if down then
          require('codemyspec.state').notify(M.explain(down), vim.log.levels.ERROR)
        end
        redraw()
      end)
    end)
    if not ok then
      redraw()
    end
  end)
end

return M
