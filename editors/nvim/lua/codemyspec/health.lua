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

--- The command the server starts with: the running client's, else the configured one.
local function server_cmd()
  local clients = vim.lsp.get_clients({ name = 'codemyspec' })
  if clients[1] and type(clients[1].config.cmd) == 'table' then
    return clients[1].config.cmd, #clients
  end
  if vim.fn.has('nvim-0.11') == 1 then
    local ok, cfg = pcall(function()
      return vim.lsp.config['codemyspec']
    end)
    if ok and cfg and type(cfg.cmd) == 'table' then
      return cfg.cmd, 0
    end
  end
  return require('codemyspec.config').cmd(), 0
end

local function check_server()
  local cmd, running = server_cmd()
  local shown = require('codemyspec.runner').display_argv(cmd)
  local exe = vim.fn.exepath(cmd[1])
  if exe == '' then
    health.error(('server executable %s not found'):format(cmd[1]), {
      'Install the server: pip install codemyspec-lsp (or pip install -e . in the repository)',
      "Or set the command: require('codemyspec').setup({ cmd = { '/path/to/codemyspec-lsp' } })",
    })
    return
  end
  health.ok(('server command: %s (%s)'):format(shown, exe))
  local argv = vim.list_extend(vim.deepcopy(cmd), { '--version' })
  local ok, obj = pcall(vim.system, argv, { text = true })
  if not ok then
    health.error(('cannot run %s: %s'):format(shown, tostring(obj)))
    return
  end
  local out = obj:wait(15000)
  local version = vim.trim((out.stdout or '') .. '')
  if out.code == 0 and version ~= '' then
    health.ok('server version: ' .. version)
  else
    health.warn(
      ('`%s --version` failed (exit %s): %s'):format(shown, tostring(out.code), vim.trim(out.stderr or '')),
      { 'The package may be missing from that interpreter, or too old to know --version' }
    )
  end
  if running > 0 then
    health.ok(('%d server client(s) running'):format(running))
  else
    health.info('no server running now (it starts with a Markdown buffer of a workspace)')
  end
end

--- The running server is the authority on the store (checksums, per-session files): ask it.
local function check_store_with_server(root)
  for _, client in ipairs(vim.lsp.get_clients({ name = 'codemyspec' })) do
    if client.config.root_dir == root and client.initialized then
      local response = require('codemyspec.lsp').request_sync(client, 'workspace/executeCommand', {
        command = 'codemyspec/listSessions',
        arguments = { vim.empty_dict() },
      }, 10000, 0)
      if not response then
        health.warn('the server did not answer listSessions in time')
      elseif response.err then
        health.error('the server cannot read the store: ' .. tostring(response.err.message))
      else
        local n = #(response.result and response.result.sessions or {})
        health.ok(('the server reads the store: %d session(s)'):format(n))
      end
      return
    end
  end
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
