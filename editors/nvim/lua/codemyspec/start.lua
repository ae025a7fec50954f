-- :CodeMySpec start {Context}: the name checked with the server's own rule before anything
-- starts (codemyspec/checkContext), a question when the context already has a complete
-- session or a valid design, a warning when the selected agent is not installed, then
-- codemyspec/startSession.
local config = require('codemyspec.config')
local lsp = require('codemyspec.lsp')
local state = require('codemyspec.state')

local M = {}

local levels = vim.log.levels

-- The server's rule (workspace/paths.py), for a server too old to answer checkContext.
local SEGMENT = '^[A-Z][A-Za-z0-9_]*$'

local function local_check(name)
  local ok = #name <= 255 and #name > 0
  for segment in (name .. '.'):gmatch('([^.]*)%.') do
    ok = ok and segment:match(SEGMENT) ~= nil
  end
  if ok then
    return { valid = true, name = name, sessions = {} }
  end
  return {
    valid = false,
    name = name,
    message = ("context: '%s' is not a context module name; use a name like 'Accounts' or "
      .. "'MyApp.Accounts' (letters, digits and '_', segments starting with a capital letter, "
      .. "joined by '.')"):format(name),
  }
end

M.ask = require('codemyspec.ui').ask

--- The question to ask before starting a context that is already designed, or nil.
---@param check table checkContext's answer
---@return string|nil
function M.already_designed(check)
  local why = {}
  for _, s in ipairs(check.sessions or {}) do
    if s.status == 'complete' then
      why[#why + 1] = ('a complete session (%s)'):format(s.id)
      break
    end
  end
  if check.designValid == true then
    why[#why + 1] = ('a valid design in %s'):format(check.designFile)
  end
  if #why == 0 then
    return nil
  end
  return ('%s already has %s. Start a new session (the agent rewrites the design)?'):format(
    check.module or check.name,
    table.concat(why, ' and ')
  )
end

--- Step 1: the name, checked by the server (or the same rule here for an old server).
local function check_name(name, cb)
  lsp.execute('codemyspec/checkContext', { context = name }, function(err, check, unsupported)
    if unsupported then
      return cb(nil, local_check(name))
    end
    cb(err, check)
  end)
end

--- Step 3: the selected agent's executable, from codemyspec/workspaceInfo. on_go() starts;
--- choosing another agent runs :CodeMySpec agents first.
local function check_agent(on_go, on_stop)
  lsp.execute('codemyspec/workspaceInfo', vim.empty_dict(), function(err, info)
    local agent = not err and type(info) == 'table' and info.agent or nil
    if type(agent) ~= 'table' or agent.found ~= false then
      return on_go() -- found, or a server too old to say: nothing to warn about
    end
    M.ask(
      ('The selected agent %s: %s is not found on PATH. Start anyway?'):format(
        tostring(agent.name),
        tostring(agent.executable)
      ),
      {
        { id = 'pick', label = 'Choose another agent (:CodeMySpec agents)' },
        { id = 'start', label = 'Start anyway' },
        { id = 'stop', label = 'Do not start' },
      },
      function(choice)
        if choice == 'start' then
          return on_go()
        end
        if choice == 'pick' then
          return require('codemyspec.agents').choose(function(cerr, chosen)
            if cerr or not chosen then
              return on_stop(cerr or 'no agent chosen: the session was not started')
            end
            on_go()
          end)
        end
        on_stop('the session was not started')
      end
    )
  end)
end

---@param text string|nil everything typed after :CodeMySpec start
---@param cb fun(err: string|nil, session: table|nil)
---@param fail fun(message: string, cb: function)
function M.start(text, cb, fail)
  local name = vim.trim(text or '')
  if name == '' then
    return fail('start needs a context name, e.g. :CodeMySpec start Accounts', cb)
  end
  check_name(name, function(err, check)
    if err then
      return fail('cannot start: ' .. err, cb)
    end
    if not check.valid then
      return fail(check.message or ('%s is not a context name'):format(name), cb)
    end
    local function go()
      local params = {
        context = name,
        environment = 'neovim',
        executionMode = config.options.execution_mode,
      }
      lsp.execute('codemyspec/startSession', params, function(serr, session)
        if serr then
          return fail('startSession failed: ' .. serr, cb)
        end
        state.remember(session)
        state.set_current(session.id)
        state.notify(
          ('started session %s for %s (%s)'):format(session.id, name, session.context.designFile)
        )
        cb(nil, session)
      end)
    end
    local function stop(message)
      state.notify(message, levels.WARN)
      cb(message)
    end
    local question = M.already_designed(check)
    if not question then
      return check_agent(go, stop)
    end
    M.ask(question, {
      { id = 'stop', label = 'Do not start' },
      { id = 'start', label = 'Start a new session' },
    }, function(choice)
      if choice == 'start' then
        return check_agent(go, stop)
      end
      stop(('the session for %s was not started'):format(check.module or name))
    end)
  end)
end

return M
