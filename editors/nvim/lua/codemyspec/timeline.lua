-- A session's timeline (its interactions in order) as Markdown lines in a scratch buffer.
local runner = require('codemyspec.runner')

local M = {}

local function present(v)
  return v ~= nil and v ~= vim.NIL
end

--- An agent step's usage (result.data.usage, docs/agents.md), or nil.
local function usage_of(result)
  local data = result and present(result.data) and type(result.data) == 'table' and result.data
  local usage = data and data.usage
  return type(usage) == 'table' and usage or nil
end

local function number(v)
  return type(v) == 'number' and v or nil
end

--- "claude sonnet: 1200 in / 900 out tokens, $0.0123, 4 turns" (fields it has).
---@param usage table
---@return string
function M.usage_text(usage)
  local parts = {}
  local tokens_in, tokens_out = number(usage.inputTokens), number(usage.outputTokens)
  if tokens_in or tokens_out then
    parts[#parts + 1] = ('%s in / %s out tokens'):format(tokens_in or '?', tokens_out or '?')
  end
  if number(usage.costUsd) then
    parts[#parts + 1] = ('$%.4f'):format(usage.costUsd)
  end
  if number(usage.turns) then
    parts[#parts + 1] = ('%d turn%s'):format(usage.turns, usage.turns == 1 and '' or 's')
  end
  local who = vim.tbl_filter(function(v)
    return type(v) == 'string' and v ~= ''
  end, { usage.agent, usage.model })
  local head = #who > 0 and (table.concat(who, ' ') .. ': ') or ''
  return head .. (#parts > 0 and table.concat(parts, ', ') or 'no figures reported')
end

--- The session's usage summed over its agent steps, or nil when no step reported any.
---@param interactions table[]
---@return table|nil
function M.total_usage(interactions)
  local total, steps = { inputTokens = 0, outputTokens = 0, costUsd = 0, turns = 0 }, 0
  local seen = {}
  for _, it in ipairs(interactions) do
    local usage = usage_of(present(it.result) and it.result or nil)
    if usage then
      steps = steps + 1
      for key in pairs(total) do
        if number(usage[key]) then
          total[key] = total[key] + usage[key]
          seen[key] = true
        end
      end
    end
  end
  if steps == 0 then
    return nil
  end
  for key in pairs(total) do
    if not seen[key] then
      total[key] = nil
    end
  end
  total.steps = steps
  return total
end

local function first_lines(text, max)
  local out = {}
  for line in (text .. '\n'):gmatch('(.-)\r?\n') do
    if #out >= max then
      out[#out + 1] = '…'
      break
    end
    out[#out + 1] = line
  end
  return out
end

--- The lines the scratch buffer shows for a session.
---@param session table a full Session
---@return string[]
function M.lines(session)
  local ctx = session.context or {}
  local lines = {
    ('# Session %s'):format(session.id),
    '',
    ('- context: %s (%s)'):format(ctx.name or '?', ctx.module or '?'),
    ('- design file: %s'):format(ctx.designFile or '?'),
    ('- status: %s'):format(session.status or '?'),
    ('- mode: %s, environment: %s'):format(
      session.executionMode or '?',
      session.environment or '?'
    ),
    ('- created %s, updated %s'):format(session.createdAt or '?', session.updatedAt or '?'),
  }
  local reason = require('codemyspec.state').reason(session)
  if reason and session.status ~= 'complete' then
    lines[#lines + 1] = ('- reason: %s'):format(reason)
  end
  local interactions = session.interactions or {}
  local total = M.total_usage(interactions)
  if total then
    lines[#lines + 1] = ('- usage (%d agent step%s): %s'):format(
      total.steps,
      total.steps == 1 and '' or 's',
      M.usage_text(total)
    )
  end
  vim.list_extend(lines, { '', '## Timeline' })
  if #interactions == 0 then
    vim.list_extend(lines, { '', 'No interactions yet.' })
  end
  for _, it in ipairs(interactions) do
    local cmd = it.command or {}
    local result = present(it.result) and it.result or nil
    local status = result and result.status or 'pending'
    vim.list_extend(lines, {
      '',
      ('### %d. %s [%s]: %s'):format(it.seq or 0, it.step or '?', cmd.kind or '?', status),
      '',
    })
    if present(cmd.description) then
      lines[#lines + 1] = cmd.description
    end
    if cmd.kind ~= 'noop' and type(cmd.argv) == 'table' and #cmd.argv > 0 then
      lines[#lines + 1] = '    $ ' .. runner.display_argv(cmd.argv)
    end
    if result then
      local parts = {}
      if present(result.code) then
        parts[#parts + 1] = 'exit ' .. tostring(result.code)
      end
      if present(result.durationMs) then
        parts[#parts + 1] = tostring(result.durationMs) .. ' ms'
      end
      if present(it.completedAt) then
        parts[#parts + 1] = 'at ' .. it.completedAt
      end
      if #parts > 0 then
        lines[#lines + 1] = '- ' .. table.concat(parts, ', ')
      end
      local usage = usage_of(result)
      if usage then
        lines[#lines + 1] = '- usage: ' .. M.usage_text(usage)
      end
      if present(result.errorMessage) and result.errorMessage ~= '' then
        lines[#lines + 1] = '- errors:'
        for _, l in ipairs(first_lines(result.errorMessage, 20)) do
          lines[#lines + 1] = '    ' .. l
        end
      end
    end
  end
  return lines
end

--- Show the timeline in a scratch buffer (reused per session id, filetype markdown) in a split.
---@param session table
---@return integer bufnr
function M.show(session)
  return require('codemyspec.scratch').show('codemyspec://session/' .. session.id, M.lines(session), 'markdown')
end

return M
