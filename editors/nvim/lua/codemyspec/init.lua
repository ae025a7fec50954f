-- CodeMySpec for Neovim: design sessions driven from the editor, diagnostics from the server.
-- Public entry points; see :help codemyspec.
local config = require('codemyspec.config')
local state = require('codemyspec.state')

local M = {}

--- Configure the plugin and start the server for Markdown buffers of CodeMySpec workspaces.
---@param opts table|nil see :help codemyspec-options
function M.setup(opts)
  local merged = config.apply(opts)
  require('codemyspec.lsp').enable(merged)
end

--- Session commands, each (arg, cb) with cb(err, outcome) optional:
--- start(context) starts a session for a bounded context ('Accounts'); next([id]) runs one
--- step; run([id]) runs steps until done; cancel([id]) cancels. id defaults to the current
--- session, else the newest active one.
for _, name in ipairs({ 'start', 'next', 'run', 'cancel' }) do
  M[name] = function(arg, cb)
    require('codemyspec.workflow')[name](arg, cb)
  end
end

--- Pick a session with vim.ui.select; it becomes current and its timeline opens.
function M.sessions()
  require('codemyspec.workflow').list(function(err, sessions)
    if err then
      return
    end
    if #sessions == 0 then
      return state.notify('no sessions in this workspace yet')
    end
    vim.ui.select(sessions, {
      prompt = 'CodeMySpec sessions',
      kind = 'codemyspec.sessions',
      format_item = function(s)
        local ctx = type(s.context) == 'table' and s.context.name or '?'
        return ('%-20s %-9s %s  %s'):format(ctx, s.status or '?', s.updatedAt or '', s.id)
      end,
    }, function(choice)
      if choice then
        state.set_current(choice.id)
        M.show(choice.id)
      end
    end)
  end)
end

--- Show a session's timeline in a scratch buffer.
function M.show(id, cb)
  cb = cb or function() end
  local workflow = require('codemyspec.workflow')
  workflow.resolve(id, function(err, sid)
    if err then
      state.notify(err, vim.log.levels.ERROR)
      return cb(err)
    end
    workflow.get(sid, function(gerr, session)
      if gerr then
        return cb(gerr)
      end
      cb(nil, require('codemyspec.timeline').show(session))
    end)
  end)
end

--- List the agent presets (found or not, version) and choose the workspace's agent: the
--- choice is written to .codemyspec/config.toml ([agent] preset). cb(err, preset_name).
function M.agents(_, cb)
  require('codemyspec.agents').choose(cb)
end

--- The workspace's architecture (codemyspec/getGraph) as Mermaid text in a scratch buffer.
function M.graph(_, cb)
  require('codemyspec.graph').show(cb)
end

--- Statusline component: "CodeMySpec Accounts: validate_design" while a step runs, the
--- session's status otherwise, "CodeMySpec: server not running" when the server cannot
--- start, '' otherwise.
---@return string
function M.statusline()
  return state.statusline()
end

--- The current session's id, or nil.
function M.current()
  return state.current
end

return M
