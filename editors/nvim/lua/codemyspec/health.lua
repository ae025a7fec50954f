-- :checkhealth codemyspec
local M = {}

local health = vim.health

local function check_neovim()
  local v = vim.version()
  local text = ('Neovim %d.%d.%d'):format(v.major, v.minor, v.patch)
  if vim.fn.has('nvim-0.11') == 1 then
    health.ok(text .. ' (vim.lsp.config / vim.lsp.enable)')
  elseif vim.fn.has('nvim-0.10') == 1 then
    health.ok(text .. ' (vim.lsp.start fallback)')
  else
    health.error(text .. ': CodeMySpec needs Neovim 0.10 or later')
  end
end

local function fix_lines(cmd)
  return require('codemyspec.server').fixes(cmd)
end

local function check_server()
  local server = require('codemyspec.server')
  local cmd = server.cmd()
  local shown = require('codemyspec.runner').display_argv(cmd)
  local exe = vim.fn.exepath(cmd[1])
  if exe == '' then
    health.error(('server command %s not found (cmd = %s)'):format(cmd[1], shown), fix_lines(cmd))
    return
  end
  local probe = server.probe(cmd)
  if not probe.ok then
    local why = probe.error or 'unknown error'
    health.error(
      ('%s cannot start the server: %s%s'):format(shown, why, server.naming(cmd, why)),
      fix_lines(cmd)
    )
    return
  end
  health.ok(('server command: %s (%s)'):format(shown, exe))
  health.ok('server version: ' .. probe.version)
  local running = 0
  for _, client in ipairs(vim.lsp.get_clients({ name = 'codemyspec' })) do
    running = running + 1
    if not client.initialized then
      health.info('a server client is still starting')
    end
  end
  local down = server.down()
  if down and server.exited then
    health.error(server.explain(down), { 'See :LspLog for the server output' })
  elseif running > 0 then
    health.ok(('%d server client(s) running'):format(running))
  else
    health.info('no server running now (it starts with a Markdown buffer of a workspace)')
  end
end

--- A request to the workspace's running server, synchronously; nil when none answers.
local function ask_server(root, command, params)
  for _, client in ipairs(vim.lsp.get_clients({ name = 'codemyspec' })) do
    if client.config.root_dir == root and client.initialized then
      local lsp = require('codemyspec.lsp')
      if not lsp.offers(client, command) then
        return { unsupported = true }
      end
      local response = lsp.request_sync(client, 'workspace/executeCommand', {
        command = command,
        arguments = { params },
      }, 10000, 0)
      return response or { timeout = true }
    end
  end
  return nil
end

--- The selected agent and whether its executable is installed (codemyspec/workspaceInfo).
local function check_agent(info)
  local agent = type(info) == 'table' and info.agent or nil
  if type(agent) ~= 'table' then
    return
  end
  local name = ('agent: %s (%s)'):format(tostring(agent.name), tostring(agent.executable))
  if agent.found then
    local version = agent.version ~= vim.NIL and agent.version or 'version unknown'
    local path = agent.path ~= vim.NIL and agent.path or ''
    health.ok(('%s %s %s'):format(name, version, path))
  else
    health.warn(name .. ': not found on PATH', {
      'Install it, or choose another agent with :CodeMySpec agents',
    })
  end
end

--- Which store holds the sessions (local TinyDB file or PostgreSQL), from workspaceInfo.
---@return string|nil kind
local function check_store_kind(info)
  local store = type(info) == 'table' and info.store or nil
  if type(store) ~= 'table' then
    return nil
  end
  health.ok(('store: %s (%s)'):format(tostring(store.kind), tostring(store.location)))
  return tostring(store.kind)
end

--- The running server is the authority on the store (checksums, per-session files): ask it.
local function check_store_with_server(root)
  local response = ask_server(root, 'codemyspec/listSessions', vim.empty_dict())
  if not response then
    return
  end
  if response.timeout then
    health.warn('the server did not answer listSessions in time')
  elseif response.err then
    health.error('the server cannot read the store: ' .. tostring(response.err.message))
  else
    local n = #(response.result and response.result.sessions or {})
    health.ok(('the server reads the store: %d session(s)'):format(n))
  end
end

--- Agent and store as the running server sees them; the store kind, nil when it cannot say.
local function check_with_workspace_info(root)
  local response = ask_server(root, 'codemyspec/workspaceInfo', vim.empty_dict())
  if not response then
    health.info('no server runs for this workspace: agent and store are not checked')
    return nil
  end
  if response.unsupported then
    health.info('the server is too old to name the agent and the store (no workspaceInfo)')
    return nil
  end
  if response.timeout or response.err then
    local why = response.err and response.err.message or 'no answer in time'
    health.warn('workspaceInfo failed: ' .. tostring(why))
    return nil
  end
  check_agent(response.result)
  return check_store_kind(response.result)
end

local function check_workspace()
  local root = require('codemyspec.lsp').find_root(0)
  if not root then
    local cwd_root = vim.fs.root(vim.fn.getcwd(), { '.codemyspec' })
    root = cwd_root and vim.fn.isdirectory(cwd_root .. '/.codemyspec') == 1 and cwd_root or nil
  end
  if not root then
    health.warn('no CodeMySpec workspace here (no .codemyspec/ above the buffer or cwd)', {
      'Create .codemyspec/ (with an optional config.toml) at the root of the project',
    })
    return
  end
  health.ok('workspace: ' .. root)
  local cfg = root .. '/.codemyspec/config.toml'
  if vim.fn.filereadable(cfg) == 1 then
    health.ok('config: ' .. cfg)
  elseif vim.uv.fs_stat(cfg) then
    health.error('config exists but cannot be read: ' .. cfg)
  else
    health.info('no .codemyspec/config.toml: the server uses its defaults')
  end
  local kind = check_with_workspace_info(root)
  if kind and kind ~= 'tinydb' then
    -- A database: no local file to look at; the server says whether it reads it.
    check_store_with_server(root)
    return
  end
  local store = root .. '/.codemyspec/sessions.json'
  if not vim.uv.fs_stat(store) then
    health.info('no session store yet (' .. store .. ' is created by the first session)')
    return
  end
  if vim.fn.filereadable(store) ~= 1 then
    health.error('session store cannot be read: ' .. store)
    return
  end
  local lines = vim.fn.readfile(store)
  local ok, data = pcall(vim.json.decode, table.concat(lines, '\n'))
  if not ok or type(data) ~= 'table' then
    health.error('session store is not valid JSON: ' .. store, {
      'Move it aside (or restore it from a backup) to start a fresh store',
    })
    return
  end
  health.ok('session store: ' .. store)
  check_store_with_server(root)
end

function M.check()
  health.start('Neovim')
  check_neovim()
  health.start('Server')
  check_server()
  health.start('Workspace')
  check_workspace()
end

return M
