-- What a step came to, said to the person: each step's outcome, a failed validation (its
-- error count, the design opened with its diagnostics, the next step offered), a session
-- that ended (with the server's reason when it failed).
local state = require('codemyspec.state')

local M = {}

local levels = vim.log.levels

local FINAL_STATUS = { success = 'complete', failed = 'failed', cancelled = 'cancelled' }

--- The stored result of the session's latest interaction, if any.
---@param session table
---@return table|nil interaction, table|nil result
function M.latest(session)
  local interactions = type(session) == 'table' and session.interactions or {}
  local last = interactions[#interactions]
  if type(last) ~= 'table' then
    return nil, nil
  end
  local result = last.result ~= vim.NIL and last.result or nil
  return last, result
end

--- validate_design's error count: the server's state.validation, else its error lines.
---@param session table
---@return integer
function M.error_count(session)
  local st = type(session.state) == 'table' and session.state or {}
  local validation = type(st.validation) == 'table' and st.validation or {}
  if type(validation.errors) == 'number' then
    return validation.errors
  end
  local _, result = M.latest(session)
  local data = result and type(result.data) == 'table' and result.data or {}
  return type(data.errors) == 'table' and #data.errors or 1
end

local function plural(n, word)
  return ('%d %s%s'):format(n, word, n == 1 and '' or 's')
end

--- Every step's outcome, said once it is known: what the server made of the result.
---@param next_step table the CommandStep
---@param session table the Session reportResult answered
function M.say(next_step, session)
  local _, result = M.latest(session)
  if not result then
    return
  end
  local step = next_step.step
  if result.status ~= 'error' and type(session.status) == 'string' and session.status ~= 'active' then
    -- The session ended with this step (finalize): its end is the news, and the last word
    -- (said once: the server's sessionChanged may have said it already).
    return state.announce(session)
  end
  if step == 'validate_design' then
    local file = session.context and session.context.designFile or 'the design'
    if result.status == 'error' then
      return state.notify(
        ('validate_design failed: %s in %s'):format(plural(M.error_count(session), 'error'), file),
        levels.WARN
      )
    end
    return state.notify(('validate_design: %s is valid'):format(file))
  end
  if result.status == 'error' then
    return state.notify(('%s failed: %s'):format(step, result.errorMessage or 'error'), levels.WARN)
  end
  state.notify(('%s: %s'):format(step, result.status or 'ok'))
end

--- A step outcome whose validation failed while the session goes on.
function M.failed_validation(outcome)
  local _, result = M.latest(outcome.session)
  return outcome.step == 'validate_design'
    and result ~= nil
    and result.status == 'error'
    and outcome.session.status == 'active'
end

--- Open (or show) the design file of a session in a split; its diagnostics come with it.
---@param session table
---@param root string the workspace (the command's cwd)
---@return integer|nil bufnr
function M.open_design(session, root)
  local rel = session.context and session.context.designFile
  if type(rel) ~= 'string' then
    return nil
  end
  local path = vim.fs.normalize(vim.fs.joinpath(root, rel))
  local buf = vim.fn.bufnr(path)
  if buf ~= -1 and vim.fn.bufwinid(buf) ~= -1 then
    vim.api.nvim_set_current_win(vim.fn.bufwinid(buf))
    return buf
  end
  vim.cmd('split ' .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

--- Step mode after a failed validation: the design opens with its diagnostics and the
--- next step (the agent revises) is offered; run_next() runs it.
---@param outcome table the step's outcome (session, command)
---@param run_next fun()
function M.offer_revision(outcome, run_next)
  local session = outcome.session
  local count = plural(M.error_count(session), 'error')
  M.open_design(session, outcome.command.cwd)
  require('codemyspec.ui').ask(
    ('CodeMySpec: validation failed with %s (the design is open with its diagnostics). '
      .. 'Run the next step?'):format(count),
    {
      { id = 'next', label = 'Run the next step now (the agent revises the design)' },
      { id = 'later', label = 'Not now (:CodeMySpec next runs it)' },
    },
    function(choice)
      if choice == 'next' then
        run_next()
      end
    end
  )
end

--- The session's summary with the final status a done step names.
local function ended(done)
  local summary = vim.deepcopy(state.sessions[done.sessionId] or { id = done.sessionId })
  summary.status = FINAL_STATUS[done.status] or done.status
  return summary
end

--- Tell the person the session is over, unless sessionChanged already did.
function M.announce_done(done)
  state.announce(ended(done))
end

--- nextStep answered done before anything ran: the session had ended already.
function M.already_ended(done)
  local summary = ended(done)
  local context = type(summary.context) == 'table' and summary.context.name or '?'
  local reason = summary.status ~= 'complete' and state.reason(summary) or nil
  state.notify(
    ('session %s for %s has already ended (%s%s): nothing left to run; start a new one with '
      .. ':CodeMySpec start %s'):format(
      done.sessionId,
      context,
      summary.status,
      reason and (': ' .. reason) or '',
      context ~= '?' and context or '{Context}'
    ),
    levels.WARN
  )
end

return M
