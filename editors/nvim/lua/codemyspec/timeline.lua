-- A session's timeline (its interactions in order) as Markdown lines in a scratch buffer.
local runner = require('codemyspec.runner')

local M = {}

local function present(v)
  return v ~= nil and v ~= vim.NIL
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
    '',
    '## Timeline',
  }
  local interactions = session.interactions or {}
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

--- Show the timeline in a scratch buffer (reused per session id) in a split.
---@param session table
---@return integer bufnr
function M.show(session)
  local name = 'codemyspec://session/' .. session.id
  local buf = vim.fn.bufnr('^' .. vim.fn.escape(name, '\\/.*$^~[]') .. '$')
  if buf == -1 then
    buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_name(buf, name)
    vim.bo[buf].bufhidden = 'hide'
    vim.bo[buf].swapfile = false
  end
  vim.bo[buf].modifiable = true
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, M.lines(session))
  vim.bo[buf].modifiable = false
  vim.bo[buf].modified = false
  -- Markdown highlighting without the markdown FileType, so no language server attaches.
  vim.bo[buf].syntax = 'markdown'
  local win = vim.fn.bufwinid(buf)
  if win == -1 then
    vim.cmd('botright split')
    vim.api.nvim_win_set_buf(0, buf)
  else
    vim.api.nvim_set_current_win(win)
  end
  return buf
end

return M
