-- What a person watches while an agent runs: readable text, never raw JSON. Agents run with
-- machine-readable output (JSON lines) so that the server can read usage; each line that is
-- a JSON object becomes the text it carries (docs/agents.md "Live output"), other lines pass
-- through unchanged.
local M = {}

local function str(v)
  return type(v) == 'string' and v ~= '' and v or nil
end

--- A tool call as one line: "→ Write docs/design/shop/orders.md".
local function tool_line(name, input)
  input = type(input) == 'table' and input or {}
  local target = str(input.file_path)
    or str(input.path)
    or str(input.filePath)
    or str(input.command)
    or str(input.pattern)
    or ''
  if type(input.command) == 'table' then
    target = table.concat(vim.tbl_filter(function(v)
      return type(v) == 'string'
    end, input.command), ' ')
  end
  return ('→ %s %s'):format(name or 'tool', target)
end

--- Text of a content list (Claude Code's message.content, and alike).
local function content_text(content)
  if type(content) == 'string' then
    return content
  end
  if type(content) ~= 'table' then
    return nil
  end
  local parts = {}
  for _, item in ipairs(content) do
    if type(item) == 'table' then
      if item.type == 'text' and str(item.text) then
        parts[#parts + 1] = item.text
      elseif item.type == 'tool_use' then
        parts[#parts + 1] = tool_line(item.name, item.input)
      end
    end
  end
  return #parts > 0 and table.concat(parts, '\n') or nil
end

local function cost_line(event)
  local bits = {}
  if str(event.subtype) then
    bits[#bits + 1] = event.subtype
  end
  local cost = event.total_cost_usd or event.cost_usd
  if type(cost) == 'number' then
    bits[#bits + 1] = ('$%.4f'):format(cost)
  end
  if type(event.num_turns) == 'number' then
    bits[#bits + 1] = ('%d turns'):format(event.num_turns)
  end
  return ('[done%s]'):format(#bits > 0 and (': ' .. table.concat(bits, ', ')) or '')
end

--- The readable text of one JSON event, '' for an event a person need not see.
---@param event table
---@return string
function M.event(event)
  local kind = event.type
  -- Claude Code (stream-json / json)
  if kind == 'assistant' or kind == 'user' then
    local message = type(event.message) == 'table' and event.message or {}
    return kind == 'assistant' and (content_text(message.content) or '') or ''
  end
  if kind == 'result' then
    return cost_line(event)
  end
  if kind == 'system' then
    return str(event.session_id) and ('[agent session ' .. event.session_id .. ']') or ''
  end
  -- codex exec --json
  local item = type(event.item) == 'table' and event.item or nil
  if item then
    if item.type == 'agent_message' or item.type == 'reasoning' then
      return str(item.text) or ''
    end
    if item.type == 'command_execution' and kind == 'item.started' then
      return '$ ' .. (str(item.command) or '')
    end
    if item.type == 'file_change' and type(item.changes) == 'table' then
      local paths = {}
      for _, change in ipairs(item.changes) do
        paths[#paths + 1] = type(change) == 'table' and str(change.path) or nil
      end
      return '→ edit ' .. table.concat(paths, ', ')
    end
    return ''
  end
  -- gemini / qwen / opencode style events
  if kind == 'message' and event.role ~= 'user' then
    return content_text(event.content) or ''
  end
  if kind == 'tool_use' or kind == 'tool_call' then
    return tool_line(event.tool_name or event.name, event.parameters or event.input)
  end
  if kind == 'text' and type(event.part) == 'table' then
    return str(event.part.text) or ''
  end
  if kind == 'error' or event.error then
    local err = event.error
    return '[error] ' .. (str(event.message) or (type(err) == 'table' and str(err.message)) or str(err) or 'error')
  end
  return str(event.result) or str(event.text) or str(event.response) or ''
end

--- One line of output as a person reads it (without its newline); nil to show nothing.
---@param line string
---@return string|nil
function M.line(line)
  local trimmed = vim.trim(line)
  if trimmed:sub(1, 1) ~= '{' then
    return line
  end
  local ok, event = pcall(vim.json.decode, trimmed, { luanil = { object = true, array = true } })
  if not ok or type(event) ~= 'table' then
    return line
  end
  local text = M.event(event)
  return text ~= '' and text or nil
end

--- A streaming renderer: feed(chunk) returns the readable text of the complete lines in it
--- (partial lines wait for the rest); flush() returns what is left.
---@return {feed: fun(chunk: string): string, flush: fun(): string}
function M.stream()
  local pending = ''
  local function render(lines)
    local out = {}
    for _, l in ipairs(lines) do
      local text = M.line(l)
      if text then
        out[#out + 1] = text .. '\n'
      end
    end
    return table.concat(out)
  end
  return {
    feed = function(chunk)
      pending = pending .. chunk
      local lines = {}
      while true do
        local nl = pending:find('\n', 1, true)
        if not nl then
          break
        end
        lines[#lines + 1] = pending:sub(1, nl - 1):gsub('\r$', '')
        pending = pending:sub(nl + 1)
      end
      return render(lines)
    end,
    flush = function()
      local rest = pending
      pending = ''
      return rest ~= '' and render({ rest }) or ''
    end,
  }
end

return M
