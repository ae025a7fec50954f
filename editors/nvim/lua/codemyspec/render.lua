-- What a person watches while an agent runs: readable text, never raw JSON. The rule is the
-- server's (codemyspec_lsp/agents/render.py, docs/agents.md), mirrored here: the command's
-- metadata.output names the format; a stdout line that is not a JSON object is shown as it
-- is; a JSON object is shown as the lines its format's renderer gives (often none:
-- bookkeeping events say nothing to a person). Assistant text as text, a tool call as
-- "→ Tool target", a failed tool as "✗ message", errors as "error: message", the final
-- event as one "done:" line. Streamed text fragments are joined into whole lines.
local M = {}

local MAX_HINT = 100
local HINT_KEYS = { 'file_path', 'filePath', 'path', 'pattern', 'command', 'url', 'query', 'absolute_path' }

local function obj(v)
  return type(v) == 'table' and not vim.islist(v) and v or {}
end

local function dig(value, ...)
  for _, key in ipairs({ ... }) do
    if type(value) ~= 'table' then
      return nil
    end
    value = value[key]
  end
  return value
end

local function text(v)
  return type(v) == 'string' and v ~= '' and v or nil
end

local function number(v)
  return type(v) == 'number' and v or nil
end

local function num(v)
  return (v == math.floor(v) and ('%d'):format(v)) or tostring(v)
end

--- Python's str.splitlines: no empty line after a final newline.
local function lines(v)
  if type(v) ~= 'string' or v == '' then
    return {}
  end
  local out = vim.split(v, '\r?\n', { trimempty = false })
  if out[#out] == '' then
    table.remove(out)
  end
  return out
end

local function hint(arguments)
  if type(arguments) ~= 'table' then
    return ''
  end
  for _, key in ipairs(HINT_KEYS) do
    local value = arguments[key]
    if type(value) == 'table' and #value > 0 then
      value = table.concat(vim.tbl_map(tostring, value), ' ')
    end
    if type(value) == 'string' and value ~= '' then
      local shown = vim.trim((value:gsub('%s+', ' ')))
      if vim.fn.strchars(shown) > MAX_HINT then
        shown = vim.fn.strcharpart(shown, 0, MAX_HINT - 1) .. '…'
      end
      return ' ' .. shown
    end
  end
  return ''
end

local function tokens(usage_in, usage_out)
  local parts = {}
  if number(usage_in) then
    parts[#parts + 1] = num(usage_in) .. ' tokens in'
  end
  if number(usage_out) then
    parts[#parts + 1] = num(usage_out) .. ' out'
  end
  return table.concat(parts, ', ')
end

local function done(...)
  local parts = vim.tbl_filter(function(p)
    return p ~= ''
  end, { ... })
  return { 'done: ' .. table.concat(parts, ' · ') }
end

local R = {}

function R.claude(event)
  local kind = event.type
  if kind == 'system' and event.subtype == 'init' then
    return { ('agent session %s · model %s'):format(tostring(event.session_id or '?'), text(event.model) or '?') }
  end
  if kind == 'assistant' then
    local out = {}
    for _, block in ipairs(dig(event, 'message', 'content') or {}) do
      if type(block) == 'table' and block.type == 'text' then
        vim.list_extend(out, lines(block.text))
      elseif type(block) == 'table' and block.type == 'tool_use' then
        out[#out + 1] = ('→ %s%s'):format(block.name or 'tool', hint(block.input))
      end
    end
    return out
  end
  if kind == 'user' then
    local out = {}
    for _, block in ipairs(dig(event, 'message', 'content') or {}) do
      if type(block) == 'table' and block.is_error then
        local first = type(block.content) == 'string' and { lines(block.content)[1] } or { 'tool error' }
        for _, l in ipairs(first) do
          out[#out + 1] = '  ✗ ' .. l
        end
      end
    end
    return out
  end
  if kind == 'result' then
    local cost, turns = number(event.total_cost_usd), number(event.num_turns)
    local err = text(dig(event, 'error', 'message'))
    return done(
      tostring(event.subtype or 'finished'),
      turns and (num(turns) .. ' turns') or '',
      cost and ('$%.4f'):format(cost) or '',
      err and ('error: ' .. err) or ''
    )
  end
  return {}
end

function R.codex(event)
  local kind = event.type
  if kind == 'thread.started' then
    return { 'agent thread ' .. tostring(event.thread_id or '?') }
  end
  if kind == 'error' or kind == 'turn.failed' then
    return { 'error: ' .. (text(event.message) or text(dig(event, 'error', 'message')) or kind) }
  end
  if kind == 'turn.completed' then
    local usage = event.usage
    return done('turn', tokens(dig(usage, 'input_tokens'), dig(usage, 'output_tokens')))
  end
  if kind ~= 'item.completed' then
    return {}
  end
  local item = obj(event.item)
  if item.type == 'agent_message' then
    return lines(item.text)
  end
  if item.type == 'command_execution' then
    local code = item.exit_code
    local exit = (code and code ~= 0 and code ~= vim.NIL) and ('  (exit %s)'):format(tostring(code)) or ''
    return { ('$ %s%s'):format(tostring(item.command or ''), exit) }
  end
  if item.type == 'file_change' then
    local paths = {}
    for _, change in ipairs(item.changes or {}) do
      if type(change) == 'table' then
        paths[#paths + 1] = tostring(change.path or '?')
      end
    end
    return #paths > 0 and { 'edited ' .. table.concat(paths, ', ') } or {}
  end
  if item.type == 'mcp_tool_call' then
    return { ('→ %s.%s'):format(tostring(item.server or 'mcp'), tostring(item.tool or 'tool')) }
  end
  if item.type == 'error' then
    return { 'error: ' .. tostring(item.message or '') }
  end
  return {}
end

function R.gemini(event)
  local kind = event.type
  if kind == 'init' then
    return { ('agent session %s · model %s'):format(tostring(event.session_id or '?'), tostring(event.model or '?')) }
  end
  if kind == 'tool_use' then
    return { ('→ %s%s'):format(tostring(event.tool_name or 'tool'), hint(event.parameters)) }
  end
  if kind == 'tool_result' and event.status == 'error' then
    return { '  ✗ ' .. tostring(dig(event, 'error', 'message') or 'tool error') }
  end
  if kind == 'error' then
    return { 'error: ' .. tostring(event.message or '') }
  end
  if kind == 'result' then
    local stats = event.stats
    local err = text(dig(event, 'error', 'message'))
    return done(
      tostring(event.status or 'finished'),
      tokens(dig(stats, 'input_tokens'), dig(stats, 'output_tokens')),
      err and ('error: ' .. err) or ''
    )
  end
  return {}
end

function R.opencode(event)
  local kind = event.type
  local part = obj(event.part)
  if kind == 'text' then
    return lines(part.text)
  end
  if kind == 'tool_use' then
    return { ('→ %s%s'):format(tostring(part.tool or 'tool'), hint(dig(part, 'state', 'input'))) }
  end
  if kind == 'error' then
    local err = event.error
    local message = text(dig(err, 'data', 'message')) or text(dig(err, 'message'))
    return { 'error: ' .. (text(dig(err, 'name')) or 'error') .. (message and (': ' .. message) or '') }
  end
  return {}
end

function R.copilot(event)
  local kind = event.type
  local data = obj(event.data)
  if kind == 'assistant.message' then
    return lines(data.content)
  end
  if kind == 'tool.execution_start' then
    return { ('→ %s%s'):format(tostring(data.toolName or 'tool'), hint(data.arguments)) }
  end
  if kind == 'session.error' or kind == 'error' then
    return { 'error: ' .. tostring(data.message or event.message or kind) }
  end
  return {}
end

M.RENDERERS = {
  ['claude-stream-json'] = R.claude,
  ['codex-jsonl'] = R.codex,
  ['gemini-stream-json'] = R.gemini,
  ['opencode-jsonl'] = R.opencode,
  ['copilot-jsonl'] = R.copilot,
}

--- The JSON object on a line, or nil (plain text, a fragment, a non-object).
---@param line string
---@return table|nil
function M.json_object(line)
  local trimmed = vim.trim(line)
  if trimmed:sub(1, 1) ~= '{' then
    return nil
  end
  local ok, value = pcall(vim.json.decode, trimmed, { luanil = { object = true, array = true } })
  if not ok or type(value) ~= 'table' or vim.islist(value) and next(value) ~= nil then
    return nil
  end
  return value
end

--- A renderer of one command's stdout, fed whole lines: feed(line) and finish() return the
--- lines to show.
---@param output string|nil the command's metadata.output ('claude-stream-json', ...; nil = text)
function M.renderer(output)
  local render = M.RENDERERS[output or 'text']
  local pending = ''
  local function flush()
    local p = pending
    pending = ''
    return vim.trim(p) ~= '' and { p } or {}
  end
  return {
    feed = function(line)
      local event = render and M.json_object(line) or nil
      if not event then
        return vim.list_extend(flush(), { line })
      end
      if event.type == 'message' and event.role == 'assistant' then
        -- gemini's text deltas: joined into whole lines
        local parts = vim.split(pending .. tostring(event.content or ''), '\n', { plain = true })
        pending = table.remove(parts)
        return parts
      end
      local ok, shown = pcall(render, event)
      return vim.list_extend(flush(), ok and shown or {})
    end,
    finish = flush,
  }
end

--- A streaming renderer for chunks as a process writes them: feed(chunk) returns the text
--- of the complete lines in it (a partial line waits for the rest); flush() the remainder.
---@param output string|nil the command's metadata.output
---@return {feed: fun(chunk: string): string, flush: fun(): string}
function M.stream(output)
  local renderer = M.renderer(output)
  local partial = ''
  local function text_of(shown)
    return #shown > 0 and (table.concat(shown, '\n') .. '\n') or ''
  end
  return {
    feed = function(chunk)
      partial = partial .. chunk
      local shown = {}
      while true do
        local nl = partial:find('\n', 1, true)
        if not nl then
          break
        end
        local line = partial:sub(1, nl - 1):gsub('\r$', '')
        partial = partial:sub(nl + 1)
        vim.list_extend(shown, renderer.feed(line))
      end
      return text_of(shown)
    end,
    flush = function()
      local shown = partial ~= '' and renderer.feed(partial) or {}
      partial = ''
      return text_of(vim.list_extend(shown, renderer.finish()))
    end,
  }
end

return M
