-- :CodeMySpec agents: the agent presets the server knows (codemyspec/listAgents), found on
-- PATH or not and their versions; the one chosen is written to the workspace's
-- .codemyspec/config.toml as [agent] preset, where the CLI and every editor read it.
local lsp = require('codemyspec.lsp')
local state = require('codemyspec.state')

local M = {}

local levels = vim.log.levels

local function present(v)
  return v ~= nil and v ~= vim.NIL
end

--- One line per preset: name, found or not (with version and path), selected.
---@param agent table AgentInfo
---@return string
function M.format(agent)
  local where
  if agent.found then
    where = ('found %s%s'):format(
      present(agent.version) and agent.version or '(version unknown)',
      present(agent.path) and ('  ' .. agent.path) or ''
    )
  else
    where = ('not found (%s is not on PATH)'):format(tostring(agent.executable))
  end
  return ('%s%-9s %s'):format(agent.selected and '* ' or '  ', agent.name, where)
end

--- Found presets first, the selected one at the top of its group, then by name.
local function ordered(agents)
  local list = vim.deepcopy(agents)
  table.sort(list, function(a, b)
    if (a.found == true) ~= (b.found == true) then
      return a.found == true
    end
    if (a.selected == true) ~= (b.selected == true) then
      return a.selected == true
    end
    return tostring(a.name) < tostring(b.name)
  end)
  return list
end

-- TOML, only as far as one key needs: a line scanner that knows strings, so that brackets
-- inside them do not count. The file keeps every other line as it was.

--- Net '[' minus ']' outside strings and comments on one line.
local function bracket_depth(line)
  local depth, quote, i = 0, nil, 1
  while i <= #line do
    local c = line:sub(i, i)
    if quote then
      if c == '\\' and quote == '"' then
        i = i + 1
      elseif c == quote then
        quote = nil
      end
    elseif c == '"' or c == "'" then
      quote = c
    elseif c == '#' then
      break
    elseif c == '[' then
      depth = depth + 1
    elseif c == ']' then
      depth = depth - 1
    end
    i = i + 1
  end
  return depth
end

local function is_table_header(line)
  return line:match('^%s*%[') ~= nil and not line:match('^%s*[%w_]+%s*=')
end

--- config.toml's lines with [agent] preset set; an [agent] command (which would win over the
--- preset) is commented out. Returns the new lines and whether a command was commented out.
---@param lines string[]
---@param preset string
---@return string[] lines, boolean commented
function M.set_preset(lines, preset)
  local out = vim.deepcopy(lines)
  local entry = ('preset = "%s"'):format(preset)
  local header
  for i, line in ipairs(out) do
    if line:match('^%s*%[agent%]%s*$') or line:match('^%s*%[agent%]%s*#') then
      header = i
      break
    end
  end
  if not header then
    if #out > 0 and out[#out] ~= '' then
      out[#out + 1] = ''
    end
    vim.list_extend(out, { '[agent]', entry })
    return out, false
  end
  local stop = #out + 1
  for i = header + 1, #out do
    if is_table_header(out[i]) then
      stop = i
      break
    end
  end
  local preset_at, commented = nil, false
  local i = header + 1
  while i < stop do
    local line = out[i]
    if line:match('^%s*preset%s*=') then
      preset_at = i
    elseif line:match('^%s*command%s*=') then
      local depth = bracket_depth(line)
      out[i] = '# ' .. line .. '  # replaced by the preset chosen in :CodeMySpec agents'
      while depth > 0 and i + 1 < stop do
        i = i + 1
        depth = depth + bracket_depth(out[i])
        out[i] = '# ' .. out[i]
      end
      commented = true
    end
    i = i + 1
  end
  if preset_at then
    out[preset_at] = entry
  else
    table.insert(out, header + 1, entry)
  end
  return out, commented
end

--- Write the preset into the workspace's config.toml and have the server read it again.
---@param client table the workspace's client
---@param preset string
---@return string|nil err
function M.write_preset(client, preset)
  local root = client.config.root_dir
  local path = vim.fs.joinpath(root, '.codemyspec', 'config.toml')
  local buf = vim.fn.bufnr(path)
  if buf ~= -1 and vim.bo[buf].modified then
    return ('%s has unsaved changes: write or undo them first'):format(path)
  end
  local lines = vim.uv.fs_stat(path) and vim.fn.readfile(path) or {}
  local new, commented = M.set_preset(lines, preset)
  if vim.fn.writefile(new, path) ~= 0 then
    return 'cannot write ' .. path
  end
  if buf ~= -1 then
    vim.cmd('checktime ' .. buf)
  end
  -- The server reads its config files again on didChangeConfiguration.
  lsp.notify(client, 'workspace/didChangeConfiguration', { settings = client.settings or {} })
  state.notify(
    ('agent preset %s written to %s%s'):format(
      preset,
      path,
      commented and ' ([agent] command, which would win over it, is commented out)' or ''
    )
  )
  return nil
end

--- List the presets and let the person choose one. cb(err, preset_name|nil).
---@param cb fun(err: string|nil, name: string|nil)|nil
function M.choose(cb)
  cb = cb or function() end
  lsp.execute('codemyspec/listAgents', vim.empty_dict(), function(err, result)
    if err then
      state.notify('agents: ' .. err, levels.ERROR)
      return cb(err)
    end
    local agents = ordered(type(result) == 'table' and result.agents or {})
    if #agents == 0 then
      state.notify('the server lists no agent presets', levels.WARN)
      return cb('no presets')
    end
    vim.ui.select(agents, {
      prompt = 'CodeMySpec agent (writes [agent] preset in .codemyspec/config.toml)',
      kind = 'codemyspec.agents',
      format_item = M.format,
    }, function(choice)
      if not choice then
        return cb(nil, nil)
      end
      if choice.name == 'custom' then
        -- The [agent] command of config.toml: it is already what runs; nothing to write.
        state.notify('the custom [agent] command of config.toml stays selected')
        return cb(nil, choice.name)
      end
      local client, why = lsp.client()
      if not client then
        state.notify(why, levels.ERROR)
        return cb(why)
      end
      local werr = M.write_preset(client, choice.name)
      if werr then
        state.notify(werr, levels.ERROR)
        return cb(werr)
      end
      if not choice.found then
        state.notify(
          ('%s is not installed (%s is not on PATH): install it before starting a session'):format(
            choice.name,
            tostring(choice.executable)
          ),
          levels.WARN
        )
      end
      cb(nil, choice.name)
    end)
  end)
end

return M
